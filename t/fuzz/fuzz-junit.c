/* fuzz-junit.c - fuzz the JUnit XML reader on reports read from memory.
 * Every case read has a name and a finite, non-negative time. */
#include <math.h>
#include <stdio.h>
#include "fuzz.h"
#include "ingest/junit-xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct junit_report report = JUNIT_REPORT_INIT;
	FILE *fp;

	if (!size)
		return 0;	/* fmemopen() wants at least one byte */
	fp = fmemopen((void *)data, size, "rb");
	FUZZ_CHECK(fp);
	if (!junit_load_stream(&report, fp, "fuzz.xml")) {
		for (size_t i = 0; i < report.nr; i++) {
			FUZZ_CHECK(report.cases[i].name[0]);
			FUZZ_CHECK(isfinite(report.cases[i].time) &&
				   report.cases[i].time >= 0);
		}
		FUZZ_CHECK(isfinite(report.suite_time));
	}
	fclose(fp);
	junit_report_release(&report);
	return 0;
}
