# Grows a shell variable by $1 bytes every $2 seconds, for ever (until the container's limit stops it).
c=$(head -c "$1" /dev/zero | tr '\0' a)
x=
while :; do x="$x$c"; sleep "$2"; done
