/*
 * tests/10-full-port-drv.c - drives 10-full's nat.c and proxy.c from a
 * test, in a network namespace the test made (never the host's).
 *
 *	drv up BRIDGE SUBNET	nat_start()
 *	drv down BRIDGE		nat_stop()
 *	drv get BRIDGE		prints "table container-BRIDGE note N", or
 *				"no table" (read back over netlink)
 *	drv forward-drop	makes Docker's firewall in nft's terms:
 *				table ip filter, chain FORWARD on the
 *				forward hook, policy drop
 *	drv proxy IP -p...	ports_bind() the -p values, proxy_start()
 *				to IP, print "ready"; at SIGTERM,
 *				proxy_stop() and ports_close()
 * Exit status 0, or 1 after the runtime's own warning.
 */
#include "../10-full/nat.h"
#include "../10-full/nft.h"
#include "../10-full/proxy.h"

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <signal.h>

#include <stdio.h>
#include <string.h>

static int proxy(int argc, char **argv)
{
	static struct ports p;
	sigset_t term;
	int sig;

	for (int i = 1; i + 1 < argc; i += 2)
		if (ports_parse(argv[i + 1], &p) < 0)
			return 1;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (ports_bind(&p) < 0 || proxy_start(&p, argv[0]) < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	sigwait(&term, &sig);
	proxy_stop();
	ports_close(&p);
	return 0;
}

static int forward_drop(void)
{
	struct nft_batch b;
	struct nl_request r;
	struct rtattr *hook;

	nft_batch_start(&b);
	nft_begin(&r, NFT_MSG_NEWTABLE, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_TABLE_NAME, "filter");
	nft_push(&b, &r);
	nft_begin(&r, NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_IPV4);
	nl_add_string(&r, NFTA_CHAIN_TABLE, "filter");
	nl_add_string(&r, NFTA_CHAIN_NAME, "FORWARD");
	hook = nft_nest(&r, NFTA_CHAIN_HOOK);
	nft_add_u32(&r, NFTA_HOOK_HOOKNUM, NF_INET_FORWARD);
	nft_add_u32(&r, NFTA_HOOK_PRIORITY, 0);
	nl_nest_end(&r, hook);
	nl_add_string(&r, NFTA_CHAIN_TYPE, "filter");
	nft_add_u32(&r, NFTA_CHAIN_POLICY, NF_DROP);
	nft_push(&b, &r);
	return nft_batch_send(&b, "forward-drop");
}

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
	if (argc == 2 && !strcmp(argv[1], "forward-drop"))
		return forward_drop() < 0;
	if (argc >= 3 && !strcmp(argv[1], "proxy"))
		return proxy(argc - 2, argv + 2);
	fprintf(stderr, "usage: drv up BRIDGE SUBNET | down BRIDGE | "
			"get BRIDGE | proxy IP -p...\n");
	return 2;
}
