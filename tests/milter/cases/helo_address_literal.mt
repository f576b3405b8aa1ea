#log: helo=\[198.51.100.25\] findings=helo.impersonation:forged
#log: helo=192.0.2.7 findings=helo.impersonation:pass,helo.syntax:pass,helo.bare_ip:invalid
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo [198.51.100.25]
mail <a@example.net>
rcpt <b@ours.example>
abort
helo 192.0.2.7
mail <a@example.net>
rcpt <b@ours.example>
quit
