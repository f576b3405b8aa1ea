#log: stage=helo .* helo=mx.ours.example findings=helo.impersonation:forged.* action=log deferred=reject
#log: stage=rcpt .* rcpt=<bob@ours.example> .*action=reject reply="550 5.7.1 HELO name mx.ours.example impersonates this server \(helo.impersonation\)"
#log: stage=rcpt .* rcpt=<postmaster@ours.example> .*action=accept exempt=postmaster
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example %{daemon_addr}=198.51.100.25
helo mx.ours.example
mail <alice@example.net>
rcpt <bob@ours.example>
rcpt <postmaster@ours.example>
abort
quit
