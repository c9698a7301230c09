/*
 * 10-full/idle.c - the supervisor of a detached container gives back the
 * pages of code it ran once, then sleeps: an idle supervisor stays under
 * 512 KiB of RSS.
 *
 * Claim: once `run -d` has returned, its supervisor holds less than
 *        512 KiB of RSS (about 240 on x86-64; `make bench` prints it,
 *        bench-life.sh).   (tested in tests/10-full-life.bats)
 * Uses:  supervise.c (its watch thread parks here)
 * Read:  madvise(2) (MADV_DONTNEED), dl_iterate_phdr(3), proc(5) (smaps:
 *        the Rss of each mapping; /proc/self/task/TID/stat, a thread's
 *        state), syscall(2)
 *
 * What the RSS of a supervisor is: every page mapped in it, its own or
 * shared. Its code and read-only data (the static binary's, 1.2 MiB)
 * come from the page cache, shared with every other `container`; still
 * they count, page by page, once the supervisor has used them: setting
 * up a container reads about half of them, 300 KiB of RSS. None of that
 * runs again while the container idles, so it gives those pages back
 * (MADV_DONTNEED on a mapping of a file that we never wrote drops our
 * mapping, not the file's page: a later use maps it again from the
 * cache). What stays, measured on x86-64 with glibc 2.36 (smaps, and
 * /proc/PID/pagemap for which page is whose):
 *   .bss pages written: the record (life.c, 32), the config,
 *     the note, the names                                     92 KiB
 *   .data, and RELRO (read-only after relocation, but ours)   40 KiB
 *   the heap of the verb that forked it                       48 KiB
 *   the main stack 36, two thread stacks 12, the vDSO 4       52 KiB
 *   the code that runs after the drop (kept, see below)       16 KiB
 *   in all, about                                            240 KiB
 * Page tables and the kernel's own memory are not RSS. A container that
 * writes output wakes the relay thread (relay.c), whose code then maps
 * again: the figure is for an idle one, as issue 9 asks.
 *
 * The trap: a fault on code maps not one page but up to 16 around it
 * (the kernel's fault-around, 64 KiB, for any file the cache holds). So
 * every page of code run after the drop costs 64 KiB: the drop must be
 * the last thing, and what runs after it (the rest of idle_park, the
 * libc syscall() stub) is kept mapped instead of dropped. Hence raw
 * syscall(): libc's read() would go through its cancellation code, in
 * pages of its own.
 */
#include "idle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE_DOWN(p, page) ((uintptr_t)(p) & ~((page) - 1))
#define PAGE_UP(p, page) PAGE_DOWN((uintptr_t)(p) + (page) - 1, page)
#define MAX_SEGMENTS 16

/* Our binary's segments, as the kernel mapped them: the ones we never
 * write (code, read-only data; the ELF headers) and the others. */
struct segments {
	uintptr_t page; /* the page size: 4 KiB, 16 or 64 on some arm64 */
	int n;
	uintptr_t lo[MAX_SEGMENTS], hi[MAX_SEGMENTS];
	bool written[MAX_SEGMENTS];
};

/* dl_iterate_phdr(3)'s callback: the first object is our program. A
 * written segment includes the part made read-only after relocation
 * (PT_GNU_RELRO): those pages are ours, not the file's. */
static int program_segments(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct segments *s = arg;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum && s->n < MAX_SEGMENTS; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		s->lo[s->n] = PAGE_DOWN(info->dlpi_addr + ph->p_vaddr, s->page);
		s->hi[s->n] = PAGE_UP(info->dlpi_addr + ph->p_vaddr + ph->p_memsz,
				      s->page);
		s->written[s->n++] = ph->p_flags & PF_W;
	}
	return 1; /* the program only: not the vDSO */
}

/* Whether the page at p may go: in a segment we never wrote, in none we
 * wrote (a page can hold the ends of two), and not one of the two pages
 * that start at keep1 or keep2 (a function shorter than a page lies in
 * two at most). Inlined: it runs after the drop. */
static inline __attribute__((always_inline)) bool
droppable(const struct segments *s, uintptr_t p, uintptr_t keep1,
	  uintptr_t keep2)
{
	bool in_read_only = false;

	if ((p >= keep1 && p < keep1 + 2 * s->page) ||
	    (p >= keep2 && p < keep2 + 2 * s->page))
		return false;
	for (int i = 0; i < s->n; i++)
		if (p >= s->lo[i] && p < s->hi[i]) {
			if (s->written[i])
				return false;
			in_read_only = true;
		}
	return in_read_only;
}

/* Whether thread tid of ours is running or about to (R), or in an
 * uninterruptible wait that ends on its own (D): proc(5)'s third field
 * of /proc/self/task/TID/stat. No: asleep (S), or gone. */
static bool busy(const char *tid)
{
	char path[sizeof("/proc/self/task//stat") + 256], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%s/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold anything, ')' too */
	return p && (p[2] == 'R' || p[2] == 'D');
}

/* Waits until every other thread of ours sleeps, for at most about
 * 1000 looks. The drop below is for code that will not run again; a
 * thread still running then maps back what it runs, 64 KiB a fault. One
 * did: the relay thread, woken by the word we just gave it (relay.c,
 * relay_verdict), was still deciding when the pages went, and the
 * supervisor stayed at 516 KiB instead of 240 (RssFile 288: four
 * fault-arounds), every time, after an unrelated change moved timings.
 * Once asleep, a thread runs again only when its container gives it work
 * (output to copy, its end), and maps back what that takes. */
static void wait_for_the_others(void)
{
	char self[16];
	bool any = true;

	snprintf(self, sizeof(self), "%d", (int)gettid());
	for (int looks = 0; any && looks < 1000; looks++) {
		DIR *d = opendir("/proc/self/task");
		struct dirent *e;

		if (!d)
			return;
		any = false;
		while (!any && (e = readdir(d)))
			any = e->d_name[0] != '.' && strcmp(e->d_name, self) != 0 &&
			      busy(e->d_name);
		closedir(d);
		if (any)
			sched_yield();
	}
}

__attribute__((noinline)) void idle_park(int ready, char word, int null,
					  int wake)
{
	struct segments s = {.page = sysconf(_SC_PAGESIZE)};
	uintptr_t self = PAGE_DOWN(idle_park, s.page);
	uintptr_t stub = PAGE_DOWN(syscall, s.page);
	uintptr_t lo = UINTPTR_MAX, hi = 0, p, run;
	char c;

	wait_for_the_others();
	dl_iterate_phdr(program_segments, &s);
	for (int i = 0; i < s.n; i++) {
		lo = s.lo[i] < lo ? s.lo[i] : lo;
		hi = s.hi[i] > hi ? s.hi[i] : hi;
	}
	/* From here on only this function and the syscall() stub run:
	 * every other page of code and read-only data goes, in runs. */
	for (p = lo; p < hi; p = run) {
		for (run = p; run < hi && droppable(&s, run, self, stub);)
			run += s.page;
		if (run > p)
			syscall(SYS_madvise, p, run - p, MADV_DONTNEED);
		else
			run += s.page; /* a page that stays */
	}
	/* Now the caller may go: `run -d` returns with us at our idle
	 * size. It holds nothing of ours; we hold nothing of its. */
	syscall(SYS_write, ready, &word, 1);
	syscall(SYS_close, ready);
	if (null >= 0) {
		syscall(SYS_dup3, null, 1, 0);
		syscall(SYS_dup3, null, 2, 0);
		syscall(SYS_close, null);
	}
	/* Idle until the end of the run (a byte, or end of file). */
	while (syscall(SYS_read, wake, &c, 1) < 0 && errno == EINTR)
		; /* a signal for the main thread ran here */
}
