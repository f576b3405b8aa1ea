#log: rcpt=<x@@ours.example> findings=rcpt.syntax:invalid
#log: rcpt=<d@ours.example> findings=rcpt.syntax:pass,rcpt.limit:fail .*action=tempfail reply="452 4.5.3
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mail.example.net
mail <a@example.net>
rcpt <x@@ours.example>
rcpt <>
rcpt <a@ours.example>
rcpt <b@ours.example>
rcpt <c@ours.example>
rcpt <d@ours.example>
abort
quit
