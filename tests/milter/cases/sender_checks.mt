#log: from=<bob@ours.example> findings=sender.syntax:pass,sender.local_forgery:forged
#log: from=<alice@ours.example> findings=sender.syntax:pass,sender.auth_mismatch:pass
#log: from=<bob@ours.example> findings=sender.syntax:pass,sender.auth_mismatch:mismatch
#log: stage=summary end=abort .* from=<a@@example.net>
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mail.example.net
mail <bob@ours.example>
rcpt <x@ours.example>
abort
mail <alice@ours.example> %{auth_authen}=alice
rcpt <x@example.org>
abort
mail <bob@ours.example> %{auth_authen}=alice
rcpt <x@example.org>
abort
mail <a@@example.net>
rcpt <x@ours.example>
abort
mail <a@example.net> SIZE=2000000
rcpt <x@ours.example>
abort
mail <a@example.net> SIZE=12ab
rcpt <x@ours.example>
abort
quit
