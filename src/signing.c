/* signing.c - sign models and check their signatures with the user's own git signing set-up.
 * Runs the program git runs for "git commit -S" and "git verify-commit"; keeps no key of its own. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "coverage-vector.h"
#include "repo.h"
#include "run-command.h"
#include "signing.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Cap on what a signing or verifying program may print. */
#define SIGNING_MAX_OUTPUT ((size_t)64 << 10)
#define SIGNING_NAMESPACE "git"

/* gpg's trust levels, lowest first, as gpg.minTrustLevel names them. */
static const char *const trust_levels[] = {
	"undefined", "never", "marginal", "fully", "ultimate",
};
#define TRUST_LEVELS (sizeof(trust_levels) / sizeof(trust_levels[0]))

/* ------------------------------------------------------------ set-up */

static int trust_level_index(const char *name)
{
	for (size_t i = 0; i < TRUST_LEVELS; i++)
		if (!strcasecmp(name, trust_levels[i]))
			return (int)i;
	return -1;
}

/* "~/x" as the shell and git read it. */
static char *expand_home(char *path)
{
	const char *home = getenv("HOME");
	struct sbuf sb = SBUF_INIT;

	if (!path || strncmp(path, "~/", 2) || !home)
		return path;
	sbuf_addf(&sb, "%s/%s", home, path + 2);
	free(path);
	return sbuf_detach(&sb, NULL);
}

static char *default_program(git_repository *repo, const char *format)
{
	struct sbuf key = SBUF_INIT;
	char *v;

	sbuf_addf(&key, "gpg.%s.program", format);
	v = repo_config_string(repo, key.buf);
	sbuf_release(&key);
	if (!v && !strcmp(format, "openpgp"))
		v = repo_config_string(repo, "gpg.program");
	if (v)
		return v;
	return xstrdup(!strcmp(format, "ssh") ? "ssh-keygen" :
		       !strcmp(format, "x509") ? "gpgsm" : "gpg");
}

int signing_config_load(struct signing_config *c, git_repository *repo)
{
	char *level;

	memset(c, 0, sizeof(*c));
	c->format = repo_config_string(repo, "gpg.format");
	if (!c->format)
		c->format = xstrdup("openpgp");
	if (strcmp(c->format, "openpgp") && strcmp(c->format, "ssh") &&
	    strcmp(c->format, "x509")) {
		error("bad gpg.format '%s': openpgp, ssh or x509", c->format);
		signing_config_release(c);
		return -1;
	}
	c->program = default_program(repo, c->format);
	c->key = expand_home(repo_config_string(repo, "user.signingKey"));
	c->allowed_signers = expand_home(
		repo_config_string(repo, "gpg.ssh.allowedSignersFile"));
	c->revocation = expand_home(
		repo_config_string(repo, "gpg.ssh.revocationFile"));
	c->tmp_dir = xstrdup(git_repository_path(repo));
	level = repo_config_string(repo, "gpg.minTrustLevel");
	c->min_trust = level ? trust_level_index(level) : 0;
	if (c->min_trust < 0) {
		error("bad gpg.minTrustLevel '%s': undefined, never, marginal, "
		      "fully or ultimate", level);
		free(level);
		signing_config_release(c);
		return -1;
	}
	free(level);
	return 0;
}

void signing_config_release(struct signing_config *c)
{
	FREE_AND_NULL(c->format);
	FREE_AND_NULL(c->program);
	FREE_AND_NULL(c->key);
	FREE_AND_NULL(c->allowed_signers);
	FREE_AND_NULL(c->revocation);
	FREE_AND_NULL(c->tmp_dir);
}

int signing_parse_trust(const char *value, enum trust_mode *out)
{
	if (!strcmp(value, "any"))
		*out = TRUST_ANY;
	else if (!strcmp(value, "signed"))
		*out = TRUST_SIGNED;
	else
		return error("bad trust '%s': any or signed", value);
	return 0;
}

int signing_trust_mode(git_repository *repo, const char *opt,
		       enum trust_mode *out)
{
	char *v = opt ? NULL : repo_config_string(repo, "covopt.trust");
	int ret = 0;

	*out = TRUST_ANY;
	if (opt)
		ret = signing_parse_trust(opt, out);
	else if (v && *v && signing_parse_trust(v, out) < 0)
		ret = error("bad covopt.trust '%s': any or signed", v);
	free(v);
	return ret;
}

int signing_setup_load(struct signing_setup *s, git_repository *repo,
		       int sign_opt, const char *trust_opt)
{
	memset(s, 0, sizeof(*s));
	s->sign = sign_opt;
	if (sign_opt < 0 &&
	    repo_config_bool(repo, "covopt.signModels", 0, &s->sign) < 0)
		return -1;
	if (signing_trust_mode(repo, trust_opt, &s->trust) < 0)
		return -1;
	if (!s->sign && s->trust == TRUST_ANY)
		return 0;
	if (signing_config_load(&s->config, repo) < 0)
		return -1;
	s->loaded = 1;
	return 0;
}

const struct signing_config *signing_setup_signer(const struct signing_setup *s)
{
	return s->sign && s->loaded ? &s->config : NULL;
}

const struct signing_config *signing_setup_trust(const struct signing_setup *s)
{
	return s->trust == TRUST_SIGNED && s->loaded ? &s->config : NULL;
}

void signing_setup_release(struct signing_setup *s)
{
	if (s->loaded)
		signing_config_release(&s->config);
	s->loaded = 0;
}

/* ------------------------------------------------------------ payload */

static void add_lstr(struct sbuf *out, const char *s)
{
	sbuf_addf(out, "%zu:%s", strlen(s), s);
}

/* The significant lines pattern p of feature lines l covers, as ranges
 * "a-b" (b exclusive) joined by ","; "-" without evidence. */
static void add_line_ranges(struct sbuf *out, const struct model_lines *l,
			    uint32_t p)
{
	const unsigned char *bits;
	uint32_t start = 0, open_at = 0;
	int open = 0, any = 0;

	if (!l || !l->blocks_nr || p == MODEL_NO_PATTERN ||
	    p >= l->patterns_nr) {
		sbuf_addch(out, '-');
		return;
	}
	bits = l->patterns + (size_t)p * MODEL_LINES_BYTES(l->blocks_nr);
	for (uint32_t b = 0; b < l->blocks_nr; b++) {
		int ran = (bits[b / 8] >> (b % 8)) & 1;

		if (ran && !open) {
			open_at = start;
			open = 1;
		} else if (!ran && open) {
			sbuf_addf(out, "%s%" PRIu32 "-%" PRIu32, any ? "," : "",
				  open_at, start);
			open = 0;
			any = 1;
		}
		start = l->block_end[b];
	}
	if (open)
		sbuf_addf(out, "%s%" PRIu32 "-%" PRIu32, any ? "," : "",
			  open_at, start);
	else if (!any)
		sbuf_addch(out, '-');
}

static void add_test(struct sbuf *out, const struct model *m,
		     const struct model_test *t)
{
	struct covvec_iter it;
	size_t entry = 0;

	sbuf_addstr(out, "test ");
	add_lstr(out, t->id);
	sbuf_addf(out, " %a %u %" PRIu32 "\n", t->cost, (unsigned)t->outcome,
		  t->history);
	covvec_iter_init(&it, t->signals, t->signals_len);
	while (covvec_iter_next(&it) > 0 && it.feature < m->features_nr) {
		const struct model_feature *f = &m->features[it.feature];
		const struct model_file *file = &m->files[f->file];

		sbuf_addstr(out, "  ");
		add_lstr(out, file->path);
		sbuf_addf(out, " %s ", file->blob);
		add_lstr(out, f->name);
		sbuf_addf(out, " %u %016" PRIx64 " %u ", (unsigned)f->kind,
			  f->hash, it.q);
		add_line_ranges(out, m->lines ? &m->lines[it.feature] : NULL,
				entry < t->patterns_nr ? t->patterns[entry] :
				MODEL_NO_PATTERN);
		sbuf_addch(out, '\n');
		entry++;
	}
}

void signing_payload(struct sbuf *out, const struct model *m, size_t k)
{
	const struct model_flag *f = &m->flags[k];

	sbuf_addstr(out, "git-covopt signed recording 1\n");
	sbuf_addf(out, "model %s\nflag ", m->commit);
	add_lstr(out, f->name);
	sbuf_addf(out, " %s %a %a %a\n", f->commit, f->suite_time,
		  f->overhead, f->recorded_at);
	for (size_t i = 0; i < m->tests_nr; i++)
		if (m->tests[i].flag == k)
			add_test(out, m, &m->tests[i]);
}

/* ------------------------------------------------------------ programs */

/* Write len bytes at buf to a new private file under c->tmp_dir. */
static char *write_temp(const struct signing_config *c, const void *buf,
			size_t len)
{
	struct sbuf path = SBUF_INIT;
	const char *p = buf;
	int fd;

	sbuf_addf(&path, "%scovopt-sign-XXXXXX", c->tmp_dir);
	fd = mkstemp(path.buf);
	if (fd < 0) {
		error("cannot create '%s': %s", path.buf, strerror(errno));
		sbuf_release(&path);
		return NULL;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error("cannot write '%s': %s", path.buf,
			      strerror(errno));
			close(fd);
			unlink(path.buf);
			sbuf_release(&path);
			return NULL;
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
	return sbuf_detach(&path, NULL);
}

static void remove_temp(char *path)
{
	if (path)
		unlink(path);
	free(path);
}

/* Run args (emptied after) with stdin from in (or /dev/null), stdout
 * into out (reset first), stderr dropped when quiet. The exit status, or
 * -1 when it cannot run. */
static int run_program(struct strlist *args, const char *in, int quiet,
		       struct sbuf *out)
{
	const char **argv = xcalloc(st_add(args->nr, 1), sizeof(*argv));
	struct child ch = {
		.argv = argv,
		.capture = 1,
		.no_stdin = !in,
		.stdin_path = in,
		.silence = quiet ? CHILD_NO_STDERR : 0,
		.max_output = SIGNING_MAX_OUTPUT,
	};
	int ret;

	for (size_t i = 0; i < args->nr; i++)
		argv[i] = args->items[i];
	sbuf_init(&ch.out, 0);
	ret = run_command(&ch);
	sbuf_reset(out);
	sbuf_add(out, ch.out.buf, ch.out.len);
	sbuf_release(&ch.out);
	free(argv);
	strlist_release(args);
	return ret;
}

/* Append the NULL-terminated words to args. */
static void add_args(struct strlist *args, ...)
{
	va_list ap;
	const char *w;

	va_start(ap, args);
	while ((w = va_arg(ap, const char *)))
		strlist_append(args, w);
	va_end(ap);
}

/* Sign the payload file in; the signature into sig. 0 or -1. */
static int sign_file(struct sbuf *sig, const char *in,
		     const struct signing_config *c)
{
	struct strlist args = STRLIST_INIT;
	int ssh = !strcmp(c->format, "ssh"), status;

	if (ssh && !c->key)
		return error("cannot sign models: gpg.format is 'ssh' but "
			     "user.signingKey is not set");
	if (ssh)
		add_args(&args, c->program, "-Y", "sign", "-n",
			 SIGNING_NAMESPACE, "-f", c->key, NULL);
	else
		add_args(&args, c->program, "-bsa", NULL);
	if (!ssh && c->key)
		add_args(&args, "-u", c->key, NULL);
	status = run_program(&args, in, ssh, sig);
	if (status)
		return error("cannot sign models: '%s' failed%s; check "
			     "gpg.format and user.signingKey", c->program,
			     status > 0 ? "" : " to start");
	if (!sig->len || sig->len > COVOPT_MAX_SIGNATURE)
		return error("cannot sign models: '%s' gave a signature of "
			     "%zu bytes", c->program, sig->len);
	return 0;
}

int signing_sign_model(struct model *m, const struct signing_config *c)
{
	struct sbuf payload = SBUF_INIT, sig = SBUF_INIT;
	int ret = 0;

	for (size_t k = 0; !ret && k < m->flags_nr; k++) {
		char *in;

		sbuf_reset(&payload);
		signing_payload(&payload, m, k);
		in = write_temp(c, payload.buf, payload.len);
		ret = !in || sign_file(&sig, in, c) < 0 ? -1 : 0;
		if (!ret)
			model_flag_set_signature(&m->flags[k], sig.buf,
						 sig.len);
		remove_temp(in);
	}
	sbuf_release(&payload);
	sbuf_release(&sig);
	return ret;
}

/* ------------------------------------------------------------ verifying */

/* One flag's result. */
struct flag_check {
	int good;
	struct sbuf signer;	/* principal, uid, "key <fp>" or "" */
	struct sbuf why;
};

/* The first line of s (without its newline), bounded, control
 * characters shown as '?': a user id comes from someone's key. */
static void first_line(struct sbuf *out, const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);
	size_t n = nl ? (size_t)(nl - s) : len;

	if (n > 200)
		n = 200;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		sbuf_addch(out, ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
}

/* The key ssh-keygen names after "key " on its "Good" line. */
static void ssh_key_of(struct sbuf *out, const struct sbuf *said)
{
	const char *k = said->len ? strstr(said->buf, " key ") : NULL;

	if (!k)
		return;
	sbuf_addstr(out, "key ");
	k += 5;
	first_line(out, k, said->len - (size_t)(k - said->buf));
}

/* Who made an SSH signature, when the allowed signers do not say. */
static void ssh_signer(struct flag_check *r, const char *payload,
		       const char *sig, const struct signing_config *c)
{
	struct strlist args = STRLIST_INIT;
	struct sbuf out = SBUF_INIT;

	add_args(&args, c->program, "-Y", "check-novalidate", "-n",
		 SIGNING_NAMESPACE, "-s", sig, NULL);
	if (!run_program(&args, payload, 1, &out))
		ssh_key_of(&r->signer, &out);
	else
		sbuf_addstr(&r->signer, "bad signature");
	sbuf_release(&out);
}

/* As git verify-commit: the principal the allowed signers file gives the
 * key, then the signature checked for that principal. */
static void verify_ssh(struct flag_check *r, const char *payload,
		       const char *sig, const struct signing_config *c)
{
	struct strlist args = STRLIST_INIT;
	struct sbuf out = SBUF_INIT, principal = SBUF_INIT;

	if (!c->allowed_signers) {
		sbuf_addstr(&r->why, "gpg.ssh.allowedSignersFile is not set");
		goto unknown;
	}
	add_args(&args, c->program, "-Y", "find-principals", "-f",
		 c->allowed_signers, "-s", sig, NULL);
	if (run_program(&args, NULL, 1, &out) || !out.len) {
		sbuf_addstr(&r->why, "its key is not in "
			    "gpg.ssh.allowedSignersFile");
		goto unknown;
	}
	first_line(&principal, out.buf, out.len);
	add_args(&args, c->program, "-Y", "verify", "-n", SIGNING_NAMESPACE,
		 "-f", c->allowed_signers, "-I", principal.buf, "-s", sig,
		 NULL);
	if (c->revocation)
		add_args(&args, "-r", c->revocation, NULL);
	if (!run_program(&args, payload, 1, &out)) {
		r->good = 1;
		sbuf_addstr(&r->signer, principal.buf);
		goto done;
	}
	sbuf_addf(&r->why, "the signature of '%s' does not verify",
		  principal.buf);
unknown:
	ssh_signer(r, payload, sig, c);
done:
	sbuf_release(&out);
	sbuf_release(&principal);
}

/* The text after "[GNUPG:] <tag> " on one line of status, or NULL. */
static const char *gpg_status(const struct sbuf *status, const char *tag)
{
	size_t tl = strlen(tag);

	for (const char *p = status->buf; p && *p;) {
		if (!strncmp(p, "[GNUPG:] ", 9) && !strncmp(p + 9, tag, tl) &&
		    (p[9 + tl] == ' ' || p[9 + tl] == '\n' || !p[9 + tl]))
			return p + 9 + tl;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static void verify_gpg(struct flag_check *r, const char *payload,
		       const char *sig, const struct signing_config *c)
{
	struct strlist args = STRLIST_INIT;
	struct sbuf out = SBUF_INIT;
	const char *good;
	int level = -1;

	add_args(&args, c->program, "--status-fd=1", "--verify", sig, payload,
		 NULL);
	if (run_program(&args, NULL, 1, &out) ||
	    !(good = gpg_status(&out, "GOODSIG"))) {
		sbuf_addstr(&r->signer, "bad signature");
		sbuf_addf(&r->why, "'%s' finds no good signature",
			  c->program);
		goto done;
	}
	/* " <long key id> <user id>" */
	good += *good == ' ';
	good = strchr(good, ' ');
	if (good)
		first_line(&r->signer, good + 1, strlen(good + 1));
	for (size_t i = 0; i < TRUST_LEVELS; i++) {
		struct sbuf tag = SBUF_INIT;

		sbuf_addf(&tag, "TRUST_%s", trust_levels[i]);
		for (size_t j = 6; j < tag.len; j++)
			tag.buf[j] = (char)(tag.buf[j] - 'a' + 'A');
		if (gpg_status(&out, tag.buf))
			level = (int)i;
		sbuf_release(&tag);
	}
	if (level < c->min_trust)
		sbuf_addf(&r->why, "its key's trust is below gpg.minTrustLevel "
			  "'%s'", trust_levels[c->min_trust]);
	else
		r->good = 1;
done:
	sbuf_release(&out);
}

static void verify_flag(struct flag_check *r, const struct model *m,
			size_t k, const struct signing_config *c)
{
	const struct model_flag *f = &m->flags[k];
	struct sbuf payload = SBUF_INIT;
	char *in = NULL, *sig = NULL;

	if (!f->signature_len) {
		sbuf_addstr(&r->signer, "unsigned");
		sbuf_addstr(&r->why, "not signed");
		return;
	}
	signing_payload(&payload, m, k);
	in = write_temp(c, payload.buf, payload.len);
	sig = in ? write_temp(c, f->signature, f->signature_len) : NULL;
	if (!sig)
		sbuf_addstr(&r->why, "cannot write a temporary file");
	else if (!strcmp(c->format, "ssh"))
		verify_ssh(r, in, sig, c);
	else
		verify_gpg(r, in, sig, c);
	remove_temp(in);
	remove_temp(sig);
	sbuf_release(&payload);
}

void signing_verify_flag(struct signing_verdict *out, const struct model *m,
			 size_t k, const struct signing_config *c)
{
	struct flag_check r = { .signer = SBUF_INIT, .why = SBUF_INIT };

	memset(out, 0, sizeof(*out));
	out->any_signed = m->flags[k].signature_len > 0;
	verify_flag(&r, m, k, c);
	out->trusted = r.good;
	out->signer = r.signer.len ? sbuf_detach(&r.signer, NULL) :
		      xstrdup("unknown");
	if (!r.good)
		out->why = sbuf_detach(&r.why, NULL);
	sbuf_release(&r.signer);
	sbuf_release(&r.why);
}

void signing_verify_model(struct signing_verdict *out, const struct model *m,
			  const struct signing_config *c)
{
	struct strlist signers = STRLIST_INIT;
	struct sbuf list = SBUF_INIT;

	memset(out, 0, sizeof(*out));
	out->trusted = m->flags_nr > 0;
	for (size_t k = 0; k < m->flags_nr; k++)
		out->any_signed |= m->flags[k].signature_len > 0;
	for (size_t k = 0; out->trusted && k < m->flags_nr; k++) {
		struct signing_verdict f;

		signing_verify_flag(&f, m, k, c);
		if (f.trusted) {
			strlist_append(&signers, f.signer);
		} else {
			struct sbuf why = SBUF_INIT;

			out->trusted = 0;
			sbuf_addf(&why, "flag '%s': %s", m->flags[k].name,
				  f.why);
			out->why = sbuf_detach(&why, NULL);
			sbuf_addstr(&list, f.signer);
		}
		signing_verdict_release(&f);
	}
	if (!m->flags_nr)
		out->why = xstrdup("no flags");
	/* trusted: each signer once, in name order */
	strlist_sort_unique(&signers);
	for (size_t i = 0; out->trusted && i < signers.nr; i++)
		sbuf_addf(&list, "%s%s", i ? ", " : "", signers.items[i]);
	strlist_release(&signers);
	out->signer = sbuf_detach(&list, NULL);
}

void signing_verdict_release(struct signing_verdict *v)
{
	FREE_AND_NULL(v->signer);
	FREE_AND_NULL(v->why);
}
