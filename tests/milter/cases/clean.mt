#log: stage=connect client=mail.example.net\[192.0.2.7\] findings=client.fcrdns:pass action=accept
#log: ^.*QC1: v=1 sid=[0-9a-f]{8} stage=summary end=eom .* nrcpt=2 rejected=0 findings=none action=accept
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mail.example.net
mail <alice@example.net> SIZE=2000 %i=QC1
rcpt <bob@ours.example>
rcpt <carol@ours.example> NOTIFY=NEVER
data
header Subject: hello
eoh
body hello
eom %i=QC1
quit
