/*
 * tests/10-full-port-nat.c - drives 10-full/nat.c from a test, in a
 * network namespace the test made (never the host's).
 *
 *	nat up BRIDGE SUBNET	nat_start()
 *	nat down BRIDGE		nat_stop()
 *	nat get BRIDGE		prints "table container-BRIDGE note N", or
 *				"no table" (read back over netlink)
 * Exit status 0, or 1 after the runtime's own warning.
 */
#include "../10-full/nat.h"
#include "../10-full/nft.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned char note;
	int got;

	if (argc == 4 && !strcmp(argv[1], "up"))
		return nat_start(argv[2], argv[3]) < 0;
	if (argc == 3 && !strcmp(argv[1], "down"))
		return nat_stop(argv[2]) < 0;
	if (argc == 3 && !strcmp(argv[1], "get")) {
		got = nft_masquerade_get(argv[2], &note);
		if (got > 0)
			printf("table " NFT_TABLE_PREFIX "%s note %d\n",
			       argv[2], note);
		else if (!got)
			printf("no table\n");
		return got < 0;
	}
	fprintf(stderr, "usage: nat up BRIDGE SUBNET | down BRIDGE | get BRIDGE\n");
	return 2;
}
