#log: QC2: v=1 sid=[0-9a-f]{8} stage=header .*findings=header.from:pass,received.forged_local:forged .*action=reject reply="554 5.7.1 Forged Received: chain: hop 1: by mx.ours.example \(received.forged_local\)"
#log: QC2: v=1 sid=[0-9a-f]{8} stage=summary end=abort .*action=reject
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %j=mx.ours.example
helo mail.example.net
mail <alice@example.net> %i=QC2
rcpt <bob@ours.example>
data
header Received from internal.ours.example (internal.ours.example [10.0.0.5]) by mx.ours.example (Postfix) with ESMTP id 4AbC; Tue, 14 Nov 2023 22:00:00 +0000
header From Alice <alice@example.net>
eoh
abort
mail <alice@example.net> %i=QC3
rcpt <bob@ours.example>
data
header Subject where is the author
eoh
abort
quit
