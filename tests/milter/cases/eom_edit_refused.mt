#log: QE1: v=1 sid=[0-9a-f]{8} stage=summary end=eom .*findings=dkim:none,internal:temperror detail="internal: smfi_insheader failed" action=tempfail reply="451 4.3.0
# An MTA that did not grant header changes: inserting
# Authentication-Results fails at end of message.  The message is
# tempfailed, never delivered unstamped, and the one summary line says so,
# with the queue id (issue 11, defect 3: it used to say accept, then add a
# line stage=connect without the queue id).
negotiate 0x100
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example
helo mail.example.net
mail <alice@example.net> %i=QE1
rcpt <bob@ours.example>
data
header From Alice <alice@example.net>
eoh
eom %i=QE1
quit
