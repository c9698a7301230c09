/*
 * 10-full/runimage.c - `container run IMAGE`: an image of the store as
 * the container's read-only layers, and what its config says to run.
 *
 * Claim: the container's lower dirs are the image's layers, shared with
 *        every other container of it and never written; its command is
 *        the image's Entrypoint + Cmd (the command given replaces Cmd),
 *        with the image's Env (before -e) and WorkingDir (unless -w); an
 *        image with more layers than one mount can take is refused with
 *        125 and a line saying the limit.
 *        (tested in tests/10-full-image.bats)
 * Uses:  image.c, imageconfig.c, state.c (the data root)
 * Read:  mount(2) ("data ... of at most one page"), overlayfs (lowerdir),
 *        docker-run(1) (ENTRYPOINT, CMD)
 *
 * mount(2) copies one page of options, 4096 bytes. docker's overlay2
 * names each layer by a short link (l/ABCDEF...) and mounts from that
 * directory, so that the page holds more layers. The same here: a layer
 * dir is its 16 hex digits, and the child chdir()s to ROOT/images/layers
 * before the mount (child.c), so each lower dir costs 22 bytes
 * ("0123456789abcdef/diff:"). What else the page holds (the init layer,
 * upperdir, workdir: paths under the data root) decides how many fit.
 * Linux 6.8's fsconfig(2) "lowerdir+" takes one layer per call and lifts
 * the limit; this runtime does not use it.
 */
#include "image.h"
#include "imageconfig.h"
#include "options.h"
#include "runas.h"
#include "selfexec.h"
#include "state.h"
#include "verbs.h"

#include "../09-overlay/layers.h"

#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The most layers a mount takes with this data root: the page, less what
 * the rest of the options take (overlay.c writes them). */
static int max_layers(const struct config *c, const char *root)
{
	size_t r = strlen(root);
	size_t fixed = strlen("lowerdir=") + r + 1 + strlen(SELFEXEC_EMPTY) +
		       strlen("/init") + strlen(",upperdir=") + r +
		       strlen("/containers/") + 12 + strlen("/upper") +
		       strlen(",workdir=") + r + strlen("/containers/") + 12 +
		       strlen("/work") +
		       (c->rootless ? strlen(",userxattr") : 0) + 1 +
		       strlen(RUN_OVERLAY_OPTIONS);

	return fixed >= OVERLAY_MAX_OPTIONS - 1
		       ? 0
		       : (int)((OVERLAY_MAX_OPTIONS - 1 - fixed) / 22);
}

/* The image's env first, then -e's (a later entry wins: child.c). */
static int put_env(struct config *c, const struct imageconfig_run *r)
{
	if (c->n_env + r->n_env > MAX_ENV) {
		warnx("the image's Env and -e: at most %d variables", MAX_ENV);
		return -1;
	}
	memmove(c->env + r->n_env, c->env, c->n_env * sizeof(*c->env));
	for (int i = 0; i < r->n_env; i++)
		c->env[i] = r->env[i];
	c->n_env += r->n_env;
	return 0;
}

int options_image(struct config *c, const char *ref, char **cmd, int n,
		  char ***argv, const char **workdir)
{
	static struct imageconfig_run r;
	static char *args[2 * IMAGECONFIG_MAX + 2];
	char root[PATH_MAX / 2];
	struct image img;
	size_t used = 0;
	int max, k = 0, ret = -1;

	if (c->userns && !c->rootless) {
		warnx("--userns runs a directory, not an image, in this "
		      "version: run the image without --userns");
		return -1;
	}
	if (state_root_path(root, sizeof(root), c->rootless) < 0 ||
	    (c->image_lock_fd = image_lock_shared(root)) < 0 ||
	    image_find(root, c->image_pin ? c->image_pin : ref, &img) < 0)
		return -1;
	max = max_layers(c, root);
	if (img.n_layers > max) {
		warnx("image %s has %d layers; one mount takes at most %d with "
		      "the data root %s (mount(2) copies one page of options, "
		      "each layer takes 22 bytes of it): flatten the image, or "
		      "use a data root with a shorter path",
		      ref, img.n_layers, max, root);
		goto out;
	}
	/* Top layer first, as overlayfs wants them. */
	for (int i = img.n_layers - 1; i >= 0; i--)
		used += snprintf(c->image_lowers + used,
				 sizeof(c->image_lowers) - used, "%s%s/diff",
				 used ? ":" : "", img.layers[i]);
	snprintf(c->layers_dir, sizeof(c->layers_dir), "%s/images/layers",
		 root);
	/* The early checks of -v and -w look at the top layer (child.c
	 * resolves them again in the mounted root, whatever is below). */
	if ((size_t)snprintf(c->rootfs_real, sizeof(c->rootfs_real),
			     "%s/%s/diff", c->layers_dir,
			     img.layers[img.n_layers - 1]) >=
	    sizeof(c->rootfs_real)) {
		warnx("%s: the path is too long", c->layers_dir);
		goto out;
	}
	memcpy(c->image_id, img.id, sizeof(c->image_id));
	memcpy(c->image_name, img.name, sizeof(c->image_name));
	if (imageconfig_read(img.config, &r) < 0 || put_env(c, &r) < 0)
		goto out;
	if (n > IMAGECONFIG_MAX) {
		warnx("the command has more than %d words", IMAGECONFIG_MAX);
		goto out;
	}
	/* docker's rule: Entrypoint, then the command given, else Cmd. */
	for (int i = 0; i < r.n_entry; i++)
		args[k++] = r.entry[i];
	for (int i = 0; i < (n ? n : r.n_cmd); i++)
		args[k++] = n ? cmd[i] : r.cmd[i];
	args[k] = NULL;
	*argv = k ? args : NULL;
	if (!*workdir && r.workdir[0])
		*workdir = r.workdir;
	/* Said now, as docker does at create, rather than a SIGTERM sent
	 * at `stop` in place of a signal that names none. */
	if (r.stop_signal[0] && verb_signal_number(r.stop_signal) < 0) {
		warnx("%s: its StopSignal '%s' names no signal", ref,
		      r.stop_signal);
		goto out;
	}
	snprintf(c->stop_signal, sizeof(c->stop_signal), "%s", r.stop_signal);
	/* The image's User, unless -u said otherwise (docker's rule). */
	if (!c->user[0] && r.user[0]) {
		if (user_parse(r.user) < 0)
			goto out;
		snprintf(c->user, sizeof(c->user), "%s", r.user);
	}
	c->from_image = true;
	ret = 0;
out:
	image_free(&img);
	return ret;
}
