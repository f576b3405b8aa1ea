#log: stage=unknown .*cmd=TURN findings=smtp.unknown_command:invalid
#log: helo="evil\\x0d\\x0aforgeguard: v=1 action=accept"
#log: stage=summary end=abort .*from=<a%b@example.net>
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
unknown TURN
helo evil\x0d\x0aforgeguard:\sv=1\saction=accept
mail <a%b@example.net>
rcpt <b@ours.example>
quit
