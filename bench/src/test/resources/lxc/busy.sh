# One busy loop: one CPU's worth of demand.
while :; do :; done
