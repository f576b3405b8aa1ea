#log: M1: .*stage=summary end=abort .*from=<a@example.net>
#log: M2: .*stage=summary end=eom .*from=<b@example.net> rcpt="<y@ours.example>" nrcpt=1
#log: M3: .*stage=summary end=eom .*from=<c@example.net> rcpt="<z@ours.example>" nrcpt=1
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mail.example.net
mail <a@example.net> %i=M1
rcpt <x@ours.example>
abort
mail <b@example.net> %i=M2
rcpt <y@ours.example>
data
header From <sender@example.net>
eoh
eom %i=M2
mail <c@example.net> %i=M3
rcpt <z@ours.example>
data
header From <sender@example.net>
eoh
eom %i=M3
quit
