#log: QD1: v=1 sid=[0-9a-f]{8} stage=eom .*dkim=example.org/sel:temperror findings=dkim:temperror
#log: QD2: v=1 sid=[0-9a-f]{8} stage=eom .*findings=dkim:none
# A signed message: the body is asked for and read to its end (answered
# chunk by chunk on inet:, without replies on unix:), the key lookup
# fails (this tier's resolver is dead: temperror, tagged).  Then a
# message without a signature: on inet: its first body chunk is
# answered with SMFIS_SKIP, and the MTA sends no more of it.
negotiate
connect mail.example.net 192.0.2.7 %{client_addr}=192.0.2.7 %{client_name}=mail.example.net %{client_ptr}=mail.example.net %j=mx.ours.example
helo mail.example.net
mail <alice@example.org> %i=QD1
rcpt <bob@ours.example>
data
header DKIM-Signature v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=dGVzdA==; b=dGVzdA==
header From Alice <alice@example.org>
eoh
body first chunk
body second chunk
eom %i=QD1
mail <alice@example.org> %i=QD2
rcpt <bob@ours.example>
data
header From Alice <alice@example.org>
eoh
body first chunk
body second chunk
eom %i=QD2
quit
