# Holds a string of $1 bytes in a shell variable (anonymous memory, about $1 bytes once built) until killed;
# leaves /lxcas/held once the string is built.
x=$(head -c "$1" /dev/zero | tr '\0' a)
: > /lxcas/held
while :; do sleep 3600; done
