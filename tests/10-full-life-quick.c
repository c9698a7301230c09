/*
 * tests/10-full-life-quick.c - a command that ends at once: writes "err"
 * to stderr and exits 3, without one read() (a static program: no
 * loader reading libraries). tests/10-full-life.bats runs it under an
 * strace that makes every thread's first read() return late: this one
 * is not slowed.
 */
#include <unistd.h>

int main(void)
{
	return write(2, "err\n", 4) == 4 ? 3 : 1;
}
