/* gen — a plan bundle generated from fuzz bytes, for fuzz_generate and gen_xml.
 *
 * The bytes are read as a sequence of decisions (how many plans, needs, services, spans,
 * goals, reviews; which kind of text and how long; which date), so that libFuzzer's byte-level
 * mutations become structural ones: one byte more needs, a field 20,000 characters longer, a
 * span across midnight. Long text comes from a pseudo-random stream seeded by the bytes, drawn
 * from tables of realistic Japanese (kana, kanji, the variant kanji of names such as 髙 﨑 𠮷 and
 * 葛󠄀 with its variation selector), accented Latin, punctuation that line breaking must keep off
 * a line's start or end, newlines and long runs with no break opportunity. Past the end of the
 * input every decision reads 0, the smallest valid choice, so every input makes a bundle.
 *
 * Most bundles are valid against templates/plan.xsd; about one in sixteen has one fault put in
 * (a bad date, a goal naming a need that does not exist, a control character, ...), so that the
 * refusals are reached with big documents too. */
#ifndef PF_FUZZ_GEN_H
#define PF_FUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* Characters of text in one bundle, at most (most get a thirtieth of it, some a fifth): bounds
 * the time one input takes. */
#define PF_GEN_BUDGET 300000

/* The bundle's XML for data[0..size), appended to `out`. */
void pf_gen_bundle(const uint8_t *data, size_t size, pf_buf *out);

#endif
