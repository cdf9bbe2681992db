/* test-signing.c - unit tests of the pure parts of signed models: the signed payload, the codec's
 * "signatures" entry (round trip, old notes, malformed entries) and the trust values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "checksum.h"
#include "coverage-vector.h"
#include "model.h"
#include "model-codec.h"
#include "model-merge.h"
#include "sbuf.h"
#include "signing.h"
#include "usage.h"

#define HEX_A "0123456789abcdef0123456789abcdef01234567"
#define HEX_B "89abcdef0123456789abcdef0123456789abcdef"

static unsigned char *signals_of(size_t *len, uint32_t feature, unsigned q)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	covvec_writer_add(&w, feature, q);
	return covvec_writer_finish(&w, len);
}

/* A model of HEX_A with the flags named (recorded on HEX_A), one file and
 * two features; test i ("t.py::t<letter>") belongs to flag of_flag[i]. */
static void build(struct model *m, const char *const *flags, size_t nr_flags,
		  const char *const *ids, const uint32_t *of_flag, size_t nr)
{
	model_init(m);
	memcpy(m->commit, HEX_A, sizeof(m->commit));
	for (size_t i = 0; i < nr_flags; i++)
		model_add_flag(m, flags[i], HEX_A, 2.5, 0.25, 1700000000);
	model_add_file(m, "pkg/a.py", HEX_B);
	model_add_feature(m, 0, "f", FEATURE_FUNCTION, 0x1122334455667788ULL,
			  3);
	model_add_feature(m, 0, "g", FEATURE_FUNCTION, 0x99, 2);
	for (size_t i = 0; i < nr; i++) {
		size_t len;
		unsigned char *sig = signals_of(&len, (uint32_t)(i % 2), 16);

		model_add_test(m, ids[i], of_flag[i], 0.5, OUTCOME_PASSED, 0,
			       sig, len);
	}
}

static void encode_decode(struct model *out, const struct model *in)
{
	struct sbuf note = SBUF_INIT;

	assert_int_equal(model_encode(&note, in), 0);
	model_init(out);
	assert_int_equal(model_decode(out, note.buf, note.len, "test"), 0);
	sbuf_release(&note);
}

static void test_payload_text(void **state)
{
	static const char *const flags[] = { "default", "e2e" };
	static const char *const ids[] = { "t.py::a", "t.py::b", "t.py::c" };
	static const uint32_t of[] = { 0, 1, 0 };
	struct model m;
	struct sbuf p = SBUF_INIT;

	(void)state;
	build(&m, flags, 2, ids, of, 3);
	signing_payload(&p, &m, 0);
	assert_string_equal(p.buf,
		"git-covopt signed recording 1\n"
		"model " HEX_A "\n"
		"flag 7:default " HEX_A " 0x1.4p+1 0x1p-2 0x1.954fc4p+30\n"
		"test 7:t.py::a 0x1p-1 0 0\n"
		"  8:pkg/a.py " HEX_B " 1:f 2 1122334455667788 16 -\n"
		"test 7:t.py::c 0x1p-1 0 0\n"
		"  8:pkg/a.py " HEX_B " 1:f 2 1122334455667788 16 -\n");
	sbuf_reset(&p);
	signing_payload(&p, &m, 1);
	assert_non_null(strstr(p.buf, "flag 3:e2e "));
	assert_non_null(strstr(p.buf, "test 7:t.py::b "));
	assert_null(strstr(p.buf, "t.py::a"));
	sbuf_release(&p);
	model_release(&m);
}

/* Everything a payload covers changes it: a test's cost, its signal. */
static void test_payload_covers_data(void **state)
{
	static const char *const flags[] = { "default" };
	static const char *const ids[] = { "t.py::a", "t.py::b" };
	static const uint32_t of[] = { 0, 0 };
	struct model m;
	struct sbuf before = SBUF_INIT, after = SBUF_INIT;

	(void)state;
	build(&m, flags, 1, ids, of, 2);
	signing_payload(&before, &m, 0);
	m.tests[1].cost = 0.25;
	signing_payload(&after, &m, 0);
	assert_string_not_equal(before.buf, after.buf);
	m.tests[1].cost = 0.5;
	m.features[1].hash++;
	sbuf_reset(&after);
	signing_payload(&after, &m, 0);
	assert_string_not_equal(before.buf, after.buf);
	m.features[1].hash--;
	memcpy(m.commit, HEX_B, sizeof(m.commit));
	sbuf_reset(&after);
	signing_payload(&after, &m, 0);
	assert_string_not_equal(before.buf, after.buf);
	sbuf_release(&before);
	sbuf_release(&after);
	model_release(&m);
}

/* A model merge with another flag of the same commit keeps a flag's
 * payload, and its signature with it. */
static void test_payload_survives_merge(void **state)
{
	static const char *const ci_flags[] = { "default" };
	static const char *const ci_ids[] = { "t.py::a", "t.py::b" };
	static const uint32_t ci_of[] = { 0, 0 };
	static const char *const dev_flags[] = { "e2e" };
	static const char *const dev_ids[] = { "t.py::c" };
	static const uint32_t dev_of[] = { 0 };
	struct model ci, dev, ci_d, dev_d, merged, merged_d;
	struct sbuf before = SBUF_INIT, after = SBUF_INIT;
	long k;

	(void)state;
	build(&ci, ci_flags, 1, ci_ids, ci_of, 2);
	build(&dev, dev_flags, 1, dev_ids, dev_of, 1);
	encode_decode(&ci_d, &ci);
	encode_decode(&dev_d, &dev);
	model_flag_set_signature(&ci_d.flags[0], "SIG", 3);
	signing_payload(&before, &ci_d, 0);
	model_init(&merged);
	assert_int_equal(model_merge(&merged, &ci_d, &dev_d), 0);
	encode_decode(&merged_d, &merged);
	k = model_find_flag(&merged_d, "default");
	assert_true(k >= 0);
	signing_payload(&after, &merged_d, (size_t)k);
	assert_string_equal(before.buf, after.buf);
	assert_int_equal(merged_d.flags[k].signature_len, 3);
	assert_memory_equal(merged_d.flags[k].signature, "SIG", 3);
	k = model_find_flag(&merged_d, "e2e");
	assert_int_equal(merged_d.flags[k].signature_len, 0);
	sbuf_release(&before);
	sbuf_release(&after);
	model_release(&ci);
	model_release(&dev);
	model_release(&ci_d);
	model_release(&dev_d);
	model_release(&merged);
	model_release(&merged_d);
}

static void test_signatures_round_trip(void **state)
{
	static const char *const flags[] = { "default", "e2e" };
	static const char *const ids[] = { "t.py::a", "t.py::b" };
	static const uint32_t of[] = { 0, 1 };
	struct model m, d;
	struct sbuf plain = SBUF_INIT, signed_note = SBUF_INIT;
	struct sbuf err = SBUF_INIT, *old;
	char *at;

	(void)state;
	build(&m, flags, 2, ids, of, 2);
	assert_int_equal(model_encode(&plain, &m), 0);
	/* an unsigned model has no "signatures" entry: old readers see
	 * the same bytes as before */
	assert_null(memmem(plain.buf, plain.len, "signatures", 10));
	model_flag_set_signature(&m.flags[1], "sig\0nature", 10);
	assert_int_equal(model_encode(&signed_note, &m), 0);
	assert_non_null(memmem(signed_note.buf, signed_note.len,
			       "signatures", 10));
	model_init(&d);
	assert_int_equal(model_decode(&d, signed_note.buf, signed_note.len,
				      "test"), 0);
	assert_null(d.flags[0].signature);
	assert_int_equal(d.flags[1].signature_len, 10);
	assert_memory_equal(d.flags[1].signature, "sig\0nature", 10);
	/* the checksum covers the signatures */
	at = memmem(signed_note.buf, signed_note.len, "nature", 6);
	assert_non_null(at);
	*at ^= 1;
	old = error_divert(&err);
	assert_int_equal(model_decode(&d, signed_note.buf, signed_note.len,
				      "test"), -1);
	error_divert(old);
	assert_non_null(strstr(err.buf, "checksum mismatch"));
	sbuf_release(&err);
	sbuf_release(&plain);
	sbuf_release(&signed_note);
	model_release(&m);
	model_release(&d);
}

/* The unsigned note of m with a "signatures" entry of raw msgpack value
 * bytes added before the checksum, the checksum made good again. */
static void with_raw_signatures(struct sbuf *out, const struct model *m,
				const void *value, size_t len)
{
	/* "checksum": fixstr key (9 bytes), then 0xcf and 8 bytes */
	static const size_t tail = 9 + 9;
	struct sbuf note = SBUF_INIT;
	uint64_t sum;

	assert_int_equal(model_encode(&note, m), 0);
	assert_true((unsigned char)note.buf[0] >= 0x80 &&
		    (unsigned char)note.buf[0] < 0x8f);
	sbuf_reset(out);
	sbuf_add(out, note.buf, note.len - tail);
	out->buf[0]++;		/* one more entry in the root map */
	sbuf_add(out, "\xaasignatures", 11);
	sbuf_add(out, value, len);
	sbuf_add(out, note.buf + note.len - tail, 9);
	sum = checksum64(out->buf, out->len);
	sbuf_addch(out, 0xcf);
	for (int i = 7; i >= 0; i--)
		sbuf_addch(out, (int)((sum >> (8 * i)) & 0xff));
	sbuf_release(&note);
}

/* A malformed "signatures" entry leaves the flags unsigned; the model
 * decodes (and a good entry through the same path is taken). */
static void test_signatures_malformed(void **state)
{
	static const char *const flags[] = { "default", "e2e" };
	static const char *const ids[] = { "t.py::a", "t.py::b" };
	static const uint32_t of[] = { 0, 1 };
	static const struct { const char *bytes; size_t len; int good; } v[] = {
		{ "\x92\xc4\x01X\xc0", 5, 1 },		/* [bin "X", nil] */
		{ "\x91\xc4\x01X", 4, 0 },		/* one entry, two flags */
		{ "\x92\xa1X\xc0", 4, 0 },		/* a str, not a bin */
		{ "\x92\x05\xc0", 3, 0 },		/* an integer */
		{ "\xc4\x01X", 3, 0 },			/* not an array */
		{ "\xc0", 1, 0 },			/* nil */
	};
	struct model m, d;
	struct sbuf note = SBUF_INIT;

	(void)state;
	build(&m, flags, 2, ids, of, 2);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		with_raw_signatures(&note, &m, v[i].bytes, v[i].len);
		model_init(&d);
		assert_int_equal(model_decode(&d, note.buf, note.len, "test"),
				 0);
		assert_int_equal(d.flags[0].signature_len, v[i].good ? 1 : 0);
		assert_int_equal(d.flags[1].signature_len, 0);
		model_release(&d);
	}
	sbuf_release(&note);
	model_release(&m);
}

/* A signature over COVOPT_MAX_SIGNATURE bytes is not taken. */
static void test_signature_too_large(void **state)
{
	static const char *const flags[] = { "default" };
	static const char *const ids[] = { "t.py::a" };
	static const uint32_t of[] = { 0 };
	size_t n = COVOPT_MAX_SIGNATURE + 1;
	struct model m, d;
	struct sbuf value = SBUF_INIT, note = SBUF_INIT;

	(void)state;
	build(&m, flags, 1, ids, of, 1);
	sbuf_add(&value, "\x91\xc5", 2);	/* [bin16 ...] */
	sbuf_addch(&value, (int)(n >> 8));
	sbuf_addch(&value, (int)(n & 0xff));
	for (size_t i = 0; i < n; i++)
		sbuf_addch(&value, 'S');
	with_raw_signatures(&note, &m, value.buf, value.len);
	model_init(&d);
	assert_int_equal(model_decode(&d, note.buf, note.len, "test"), 0);
	assert_int_equal(d.flags[0].signature_len, 0);
	model_release(&d);
	sbuf_release(&value);
	sbuf_release(&note);
	model_release(&m);
}

static void test_parse_trust(void **state)
{
	enum trust_mode t = TRUST_SIGNED;
	struct sbuf err = SBUF_INIT, *old;

	(void)state;
	assert_int_equal(signing_parse_trust("any", &t), 0);
	assert_int_equal(t, TRUST_ANY);
	assert_int_equal(signing_parse_trust("signed", &t), 0);
	assert_int_equal(t, TRUST_SIGNED);
	old = error_divert(&err);
	assert_int_equal(signing_parse_trust("Signed", &t), -1);
	error_divert(old);
	assert_non_null(strstr(err.buf, "bad trust 'Signed': any or signed"));
	sbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_text),
		cmocka_unit_test(test_payload_covers_data),
		cmocka_unit_test(test_payload_survives_merge),
		cmocka_unit_test(test_signatures_round_trip),
		cmocka_unit_test(test_signatures_malformed),
		cmocka_unit_test(test_signature_too_large),
		cmocka_unit_test(test_parse_trust),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
