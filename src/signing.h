/* signing.h - sign models and check their signatures with the user's own git signing set-up.
 * One signature per flag, over signing_payload()'s bytes: it survives notes merges (see architecture.txt). */
#ifndef COVOPT_SIGNING_H
#define COVOPT_SIGNING_H

#include <git2.h>
#include "model.h"
#include "sbuf.h"

/* Which models select, run, record and fetch may use (covopt.trust). */
enum trust_mode {
	TRUST_ANY = 0,		/* every model that decodes (the default) */
	TRUST_SIGNED = 1,	/* only models whose every flag verifies */
};

/*
 * git's signing set-up, read as "git commit -S" and "git verify-commit"
 * read it: gpg.format (openpgp, ssh, x509), the program
 * (gpg.<format>.program, then gpg.program for openpgp; else gpg, ssh-keygen,
 * gpgsm), user.signingKey, gpg.ssh.allowedSignersFile,
 * gpg.ssh.revocationFile and gpg.minTrustLevel.
 */
struct signing_config {
	char *format;
	char *program;
	char *key;		/* NULL: the program's default key */
	char *allowed_signers;	/* NULL: no SSH signature verifies */
	char *revocation;
	int min_trust;		/* index into the gpg trust levels */
	char *tmp_dir;		/* where payloads are written: $GIT_DIR */
};

/* Load repo's set-up into c (uninitialised). 0, or -1 after an error
 * naming a bad value (c then released). */
int signing_config_load(struct signing_config *c, git_repository *repo);
void signing_config_release(struct signing_config *c);

/* "any" or "signed" into out; -1 after an error naming value. */
int signing_parse_trust(const char *value, enum trust_mode *out);

/* The trust in force: opt (--trust), else git config covopt.trust, else
 * any. 0, or -1 after an error. */
int signing_trust_mode(git_repository *repo, const char *opt,
		       enum trust_mode *out);

/* What a command signs and trusts with, decided once. */
struct signing_setup {
	int sign;		/* sign what it records */
	enum trust_mode trust;
	int loaded;		/* config holds the set-up */
	struct signing_config config;
};

/*
 * Decide sign (sign_opt: 1 --sign, 0 --no-sign, -1 unset: git config
 * covopt.signModels, default off) and trust (signing_trust_mode() of
 * trust_opt), and load git's set-up when either needs it. 0, or -1
 * after an error.
 */
int signing_setup_load(struct signing_setup *s, git_repository *repo,
		       int sign_opt, const char *trust_opt);
/* The set-up to sign with, or NULL when not signing. */
const struct signing_config *signing_setup_signer(const struct signing_setup *s);
/* The set-up to verify with under trust "signed", or NULL (any model). */
const struct signing_config *signing_setup_trust(const struct signing_setup *s);
void signing_setup_release(struct signing_setup *s);

/*
 * Pure: the bytes the signature of flag k of m covers. A text in
 * lines: a header naming the format and the model's commit, the flag
 * (name, commit recorded on, suite time, overhead, recorded_at), then per
 * test of the flag in id order its cost, outcome and history, and per
 * covered feature its file's path and blob, its name, kind and hash, the
 * quantized share and the significant lines the test ran (ranges; "-"
 * without line evidence). Strings are length-prefixed, numbers exact
 * (%a). Indices never appear, so a model merge that keeps the flag's
 * data keeps its payload.
 */
void signing_payload(struct sbuf *out, const struct model *m, size_t k);

/*
 * Sign every flag of m (as decoded: what was signed must be what is
 * stored) with the set-up c, replacing their signatures. 0, or -1 after
 * an error naming the program and what to configure.
 */
int signing_sign_model(struct model *m, const struct signing_config *c);

/* What signing_verify_model() found. */
struct signing_verdict {
	int trusted;	/* every flag has a good signature */
	int any_signed;	/* some flag has a signature */
	/* trusted: the signers, ", "-separated, each once; else the
	 * first flag that failed's signer, "unsigned" or "key <fingerprint>" */
	char *signer;
	char *why;	/* not trusted: what failed and what to configure */
};

/*
 * Check each flag's signature of m by git's rules: SSH with the allowed
 * signers file (ssh-keygen -Y find-principals, then -Y verify, namespace
 * "git"); OpenPGP and X.509 with a good signature whose trust is at least
 * gpg.minTrustLevel. Nothing is printed; a program that fails to run
 * makes the signature not good. Fills out (release it).
 */
void signing_verify_model(struct signing_verdict *out, const struct model *m,
			  const struct signing_config *c);
void signing_verdict_release(struct signing_verdict *v);

/* The same for flag k alone: trusted when its signature is good; signer
 * its signer ("unsigned" when it has none); why set when not good. */
void signing_verify_flag(struct signing_verdict *out, const struct model *m,
			 size_t k, const struct signing_config *c);

#endif
