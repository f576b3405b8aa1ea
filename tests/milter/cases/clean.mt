#log: stage=connect client=mail.example.net\[192.0.2.7\] findings=client.fcrdns:pass action=accept
#log: QC1: v=1 sid=[0-9a-f]{8} stage=header .* findings=header.from:pass,header.authres:forged .*action=tag
#log: ^.*QC1: v=1 sid=[0-9a-f]{8} stage=summary end=eom .* nrcpt=2 rejected=0 findings=header.authres:forged,dkim:none .*action=tag
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mail.example.net
mail <alice@example.net> SIZE=2000 %i=QC1
rcpt <bob@ours.example>
rcpt <carol@ours.example> NOTIFY=NEVER
data
header Received from a.example.net (a.example.net [203.0.113.1]) by mail.example.net (Postfix) with ESMTPSA id 1F2
header Authentication-Results mail.example.net; spf=pass smtp.mailfrom=example.net
header Authentication-Results mx.ours.example; dkim=pass header.d=ours.example
header From Alice <alice@example.net>
header Subject hello
eoh
body hello
eom %i=QC1
quit
