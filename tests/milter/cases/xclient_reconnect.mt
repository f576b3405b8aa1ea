#log: stage=connect client=localhost\[127.0.0.1\] findings=client.trusted:pass
#log: stage=summary end=eom client=localhost\[127.0.0.1\] helo=localhost from=<a@ours.example>
#log: stage=connect client=unknown\[2001:db8::10\] findings=client.fcrdns:none
#log: stage=summary end=abort client=unknown\[2001:db8::10\] helo=\[IPv6:2001:db8::11\] .*helo.literal_mismatch:mismatch
negotiate
connect localhost 127.0.0.1 %{client_addr}=127.0.0.1 %{client_name}=localhost
helo localhost
mail <a@ours.example>
rcpt <b@ours.example>
data
header From <sender@example.net>
eoh
eom
quitnc
connect [2001:db8::10] 2001:db8::10 %{client_addr}=2001:db8::10 %{client_name}=unknown %{client_ptr}=unknown
helo [IPv6:2001:db8::11]
mail <a@example.net>
rcpt <b@ours.example>
quit
