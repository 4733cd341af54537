/*
 * compare.c - `segsim compare EXPECTED_DIR ACTUAL_DIR`: does an output
 * directory match an expected one (a golden), exactly or within tolerances?
 *
 * cmp_dirs() lists the files of both trees (walk_tree: run.log, which holds
 * wall-clock figures, and plots/ directories are skipped), pairs them by
 * relative path - a file on one side only is a difference - and compares
 * each pair by its kind (compare_file):
 *   - TSV traces (*.tsv): line by line; a data row field by field, the
 *     columns named by the "# time cwnd ..." header line (cmp_tsv);
 *   - JSON (*.json): leaf by leaf, each leaf named by its key path such as
 *     flows[0].tcp.cwnd (cmp_json; summary.json puts several keys on one
 *     line for queues and links, so lines alone would not name the key);
 *   - other text line by line (cmp_text); binary (pcap, or a NUL byte in
 *     the expected file) byte by byte (cmp_bytes).
 * Two values are equal when their text is.  Otherwise, if both are numbers
 * and a --tolerance rule covers the column (or JSON key), they are equal
 * when within it; values of the first column (time) with --align when the
 * times are within the window.  Rows and leaves are paired in order.
 *
 * Only the first divergence of a file is reported, with a count of the
 * others: the rest usually follows from it.  Every pair of numbers compared
 * feeds the table of largest deviations printed at the end.
 *
 * Without --tolerance, --columns or --align the comparison is exact: files
 * that read the same yet differ in bytes (spacing, a final newline) still
 * differ, so `compare` stands in for `cmp` in the golden tests.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "compare.h"
#include "units.h"

#define CMP_MSG_MAX 1024
#define CMP_QUOTE_MAX 60        /* characters of a line shown in a message */
#define CMP_JSON_DEPTH 64

static const char cmp_usage[] =
	"usage: segsim compare EXPECTED_DIR ACTUAL_DIR [--tolerance SPEC] [--columns LIST]\n"
	"                      [--align DURATION] [-q]\n";

/* ---- options ------------------------------------------------------------ */

static bool name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* A number as a user or a trace writes it: digits, sign, point, exponent.
 * strtod alone would also take "inf", "nan", hex and leading blanks. */
static bool parse_num(const char *s, size_t len, double *v)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof buf)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && !strchr("+-.eE", s[i]))
			return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*v = strtod(buf, &end);
	return *end == '\0' && errno != ERANGE && isfinite(*v);
}

static int tol_error(const char *item, size_t len, const char *why)
{
	fprintf(stderr, "segsim: error: --tolerance: %s in '%.*s' (expected NAME=VALUE or "
		"NAME=VALUE%%, comma-separated, e.g. cwnd=5%%,srtt=0.001,*=1e-9)\n",
		why, (int)len, item);
	return -1;
}

static int parse_tolerance(struct cmp_opts *o, const char *spec)
{
	const char *p = spec;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		struct cmp_tol t = { .name = p };
		size_t vlen;

		if (!eq || eq == p)
			return tol_error(p, len, "no NAME=");
		t.name_len = (size_t)(eq - p);
		vlen = len - t.name_len - 1;
		if (vlen > 0 && eq[vlen] == '%') {
			t.relative = true;
			vlen--;
		}
		if (!parse_num(eq + 1, vlen, &t.value) || t.value < 0)
			return tol_error(p, len, "not a non-negative number");
		if (t.relative)
			t.value /= 100.0;
		for (int i = 0; i < o->n_tol; i++)
			if (name_eq(o->tol[i].name, o->tol[i].name_len, t.name, t.name_len))
				return tol_error(p, len, "a second rule for the same name");
		if (o->n_tol == CMP_MAX_NAMES)
			return tol_error(p, len, "too many rules");
		o->tol[o->n_tol++] = t;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int parse_columns(struct cmp_opts *o, const char *list)
{
	const char *p = list;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (len == 0 || memchr(p, '=', len)) {
			fprintf(stderr, "segsim: error: --columns expects column names separated "
				"by commas (e.g. time,cwnd,ssthresh), got '%s'\n", list);
			return -1;
		}
		if (o->n_cols == CMP_MAX_NAMES) {
			fprintf(stderr, "segsim: error: --columns: more than %d names\n",
				CMP_MAX_NAMES);
			return -1;
		}
		o->cols[o->n_cols++] = (struct cmp_name){ .name = p, .len = len };
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The value of option `name` at argv[*i], as "--name VALUE" or
 * "--name=VALUE"; NULL if argv[*i] is another option.  *missing is set when
 * it is this option without a value. */
static const char *opt_value(const char *name, int argc, char **argv, int *i, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int cmp_parse_opt(struct cmp_opts *o, int argc, char **argv, int *i)
{
	bool missing = false;
	const char *v;
	char err[256];

	if ((v = opt_value("--tolerance", argc, argv, i, &missing)))
		return parse_tolerance(o, v) < 0 ? -1 : 1;
	if ((v = opt_value("--columns", argc, argv, i, &missing)))
		return parse_columns(o, v) < 0 ? -1 : 1;
	if ((v = opt_value("--align", argc, argv, i, &missing))) {
		if (units_time(v, &o->align_ns, err, sizeof err) < 0) {
			fprintf(stderr, "segsim: error: --align: %s\n", err);
			return -1;
		}
		o->has_align = true;
		o->align_text = v;
		return 1;
	}
	if (missing) {
		fprintf(stderr, "segsim: error: %s needs a value\n", argv[*i]);
		return -1;
	}
	return 0;
}

/* ---- one comparison run, one file ------------------------------------- */

struct cmp_run {
	const struct cmp_opts *o;
	FILE *report;
	FILE *devs;             /* the deviation table, printed at the end */
	bool strict;            /* no option relaxes byte equality */
	bool tol_seen[CMP_MAX_NAMES], col_seen[CMP_MAX_NAMES];
	int n_files, n_differ;
};

/* The largest deviation seen in one column (or JSON key) of one file. */
struct cmp_dev {
	const char *name;       /* points into the expected file's text */
	size_t name_len;
	double abs, rel;
	int abs_line, rel_line;
};

struct file_cmp {
	struct cmp_run *run;
	const char *rel;        /* path under both directories */
	int n_diff;             /* differences found */
	char first[CMP_MSG_MAX];/* the first one, printed when the file is done */
	struct cmp_dev *devs;
	int n_devs, cap_devs;
};

/* Record a difference; the first one's message is kept.  fmt continues
 * after the file name (":LINE: ..." or ": ..."). */
static void diff_at(struct file_cmp *fc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void diff_at(struct file_cmp *fc, const char *fmt, ...)
{
	va_list ap;

	if (fc->n_diff++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(fc->first, sizeof fc->first, fmt, ap);
	va_end(ap);
}

/* s as a short printable string: tabs and control bytes escaped, cut at
 * CMP_QUOTE_MAX characters. */
static const char *quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == CMP_QUOTE_MAX) {
			o += (size_t)snprintf(buf + o, size - o, "...");
			break;
		}
		if (c == '\t')
			o += (size_t)snprintf(buf + o, size - o, "\\t");
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

static void dev_add(struct file_cmp *fc, const char *name, size_t name_len, double e,
		    double a, int line)
{
	double d = fabs(a - e), r = e != 0 ? d / fabs(e) : INFINITY;
	struct cmp_dev *dv = NULL;

	if (d == 0 || name_len == 0)
		return;
	for (int i = 0; i < fc->n_devs && !dv; i++)
		if (name_eq(fc->devs[i].name, fc->devs[i].name_len, name, name_len))
			dv = &fc->devs[i];
	if (!dv) {
		if (fc->n_devs == fc->cap_devs) {
			int cap = fc->cap_devs ? 2 * fc->cap_devs : 16;
			struct cmp_dev *n = realloc(fc->devs, (size_t)cap * sizeof *n);

			if (!n)
				return;         /* the table is advice; the verdict stands */
			fc->devs = n;
			fc->cap_devs = cap;
		}
		dv = &fc->devs[fc->n_devs++];
		*dv = (struct cmp_dev){ .name = name, .name_len = name_len };
	}
	if (d > dv->abs) {
		dv->abs = d;
		dv->abs_line = line;
	}
	if (r > dv->rel) {
		dv->rel = r;
		dv->rel_line = line;
	}
}

/* The rule for a column: its own, else "*", else none (exact text). */
static const struct cmp_tol *tol_find(const struct cmp_opts *o, const char *name, size_t len)
{
	const struct cmp_tol *star = NULL;

	for (int i = 0; i < o->n_tol; i++) {
		if (name_eq(o->tol[i].name, o->tol[i].name_len, name, len))
			return &o->tol[i];
		if (name_eq(o->tol[i].name, o->tol[i].name_len, "*", 1))
			star = &o->tol[i];
	}
	return star;
}

/* Within the rule, allowing for the rounding of the subtraction, so a
 * difference of exactly the tolerance passes. */
static bool tol_within(const struct cmp_tol *t, double e, double a)
{
	double limit = t->relative ? t->value * fabs(e) : t->value;

	return fabs(a - e) <= limit * (1 + 1e-12) + 4 * DBL_EPSILON * fmax(fabs(e), fabs(a));
}

/* Note which --tolerance and --columns names a file has (--columns: TSV
 * columns only), to warn at the end about names that matched nothing: a
 * typo would silently compare less. */
static void names_seen(struct cmp_run *run, const char *name, size_t len, bool column)
{
	const struct cmp_opts *o = run->o;

	for (int i = 0; i < o->n_tol; i++)
		if (name_eq(o->tol[i].name, o->tol[i].name_len, name, len))
			run->tol_seen[i] = true;
	for (int i = 0; column && i < o->n_cols; i++)
		if (name_eq(o->cols[i].name, o->cols[i].len, name, len))
			run->col_seen[i] = true;
}

/* One pair of values.  label names it in a message (a column or a JSON
 * path), key selects its tolerance rule and deviation entry; time, if not
 * NULL, is the row's time.  Returns whether they are equal. */
struct cmp_value {
	int line;
	const char *time;
	size_t time_len;
	const char *label;
	size_t label_len;
	const char *key;
	size_t key_len;
	bool is_time;           /* the first column: --align applies */
};

static bool value_cmp(struct file_cmp *fc, const struct cmp_value *v, const char *e,
		      size_t elen, const char *a, size_t alen)
{
	const struct cmp_opts *o = fc->run->o;
	const struct cmp_tol *t;
	char note[160] = "", delta[96] = "", tq[80], eq[80], aq[80];
	double de = 0, da = 0;
	bool num = parse_num(e, elen, &de) && parse_num(a, alen, &da);

	if (num)
		dev_add(fc, v->key, v->key_len, de, da, v->line);
	if (name_eq(e, elen, a, alen))
		return true;
	if (v->is_time && o->has_align) {
		int64_t te, ta;
		char err[8], es[64], as[64];

		if (elen < sizeof es && alen < sizeof as) {
			memcpy(es, e, elen);
			es[elen] = '\0';
			memcpy(as, a, alen);
			as[alen] = '\0';
			if (units_time(es, &te, err, sizeof err) == 0 &&
			    units_time(as, &ta, err, sizeof err) == 0) {
				if ((ta > te ? ta - te : te - ta) <= o->align_ns)
					return true;
				snprintf(note, sizeof note, "; beyond --align %s", o->align_text);
			}
		}
	} else if ((t = tol_find(o, v->key, v->key_len))) {
		if (num && tol_within(t, de, da))
			return true;
		snprintf(note, sizeof note, "; beyond --tolerance %.*s=%.6g%s", (int)t->name_len,
			 t->name, t->relative ? 100 * t->value : t->value, t->relative ? "%" : "");
	}
	if (fc->n_diff > 0) {           /* counted, not reported */
		fc->n_diff++;
		return false;
	}
	if (num) {
		if (de != 0)
			snprintf(delta, sizeof delta, " (%+.6g, %+.3g%%)", da - de,
				 100 * (da - de) / fabs(de));
		else
			snprintf(delta, sizeof delta, " (%+.6g)", da - de);
	}
	if (v->time && !v->is_time)
		diff_at(fc, ":%d: time %s: %.*s: expected %s, actual %s%s%s", v->line,
			quote(tq, sizeof tq, v->time, v->time_len), (int)v->label_len, v->label,
			quote(eq, sizeof eq, e, elen), quote(aq, sizeof aq, a, alen), delta, note);
	else
		diff_at(fc, ":%d: %.*s: expected %s, actual %s%s%s", v->line, (int)v->label_len,
			v->label, quote(eq, sizeof eq, e, elen), quote(aq, sizeof aq, a, alen),
			delta, note);
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- lines and fields ---------------------------------------------------- */

struct span {
	const char *s;
	size_t len;
};

static bool next_line(const char **p, const char *end, struct span *l)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	l->s = *p;
	l->len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

/* Two differing lines, quoted from a little before where they part, so
 * the difference is in view even in long lines. */
static void quote_pair(char *q1, char *q2, size_t size, struct span e, struct span a)
{
	size_t cp = 0, from;
	int n1 = 0, n2 = 0;

	while (cp < e.len && cp < a.len && e.s[cp] == a.s[cp])
		cp++;
	from = cp > CMP_QUOTE_MAX / 2 ? cp - CMP_QUOTE_MAX / 4 : 0;
	if (from) {
		n1 = snprintf(q1, size, "...");
		n2 = snprintf(q2, size, "...");
	}
	quote(q1 + n1, size - (size_t)n1, e.s + from, e.len - from);
	quote(q2 + n2, size - (size_t)n2, a.s + from, a.len - from);
}

static int count_lines(const char *p, const char *end)
{
	struct span l;
	int n = 0;

	while (next_line(&p, end, &l))
		n++;
	return n;
}

struct fields {
	struct span *f;
	int n, cap;
};

/* Split l at sep (a tab), or at runs of blanks when sep is 0 (a header). */
static int split(struct fields *fs, struct span l, char sep)
{
	const char *p = l.s, *end = l.s + l.len;

	fs->n = 0;
	while (p <= end) {
		const char *q = p;

		if (!sep) {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p == end)
				break;
			q = p;
			while (q < end && *q != ' ' && *q != '\t')
				q++;
		} else {
			while (q < end && *q != sep)
				q++;
		}
		if (fs->n == fs->cap) {
			int cap = fs->cap ? 2 * fs->cap : 16;
			struct span *n = realloc(fs->f, (size_t)cap * sizeof *n);

			if (!n)
				return -1;
			fs->f = n;
			fs->cap = cap;
		}
		fs->f[fs->n++] = (struct span){ p, (size_t)(q - p) };
		p = q + 1;
	}
	return 0;
}

static bool is_comment(struct span l)
{
	return l.len > 0 && l.s[0] == '#';
}

static int find_col(const struct fields *h, const char *name, size_t len)
{
	for (int i = 0; i < h->n; i++)
		if (name_eq(h->f[i].s, h->f[i].len, name, len))
			return i;
	return -1;
}

/* The column names of a "# time cwnd ..." first line; none if the first
 * line is not a comment.  0, or -1 out of memory. */
static int header_names(struct fields *h, const char *s, size_t len)
{
	struct span l;

	h->n = 0;
	if (!next_line(&s, s + len, &l) || !is_comment(l))
		return 0;
	return split(h, (struct span){ l.s + 1, l.len - 1 }, 0);
}

/* ---- the kinds of file ---------------------------------------------------- */

/* The rest of the longer file: one difference per line. */
static void extra_lines(struct file_cmp *fc, int line, const char *p, const char *end,
			struct span l, bool in_actual)
{
	int after = count_lines(p, end);
	char q[80];

	diff_at(fc, ":%d: %s has %d more line%s, from \"%s\"", line,
		in_actual ? "actual" : "expected", 1 + after, after ? "s" : "",
		quote(q, sizeof q, l.s, l.len));
	fc->n_diff += after;
}

/* Column pairs compared when --columns is given: index in each file. */
struct col_pair {
	int ie, ia;
	const struct cmp_name *name;
};

static int cmp_tsv(struct file_cmp *fc, const char *e, size_t elen, const char *a,
		   size_t alen)
{
	const struct cmp_opts *o = fc->run->o;
	const char *pe = e, *pa = a, *ee = e + elen, *ae = a + alen;
	struct fields eh = { 0 }, ah = { 0 }, fe = { 0 }, fa = { 0 };
	struct col_pair pairs[CMP_MAX_NAMES];
	int n_pairs = 0, rc = -1;
	struct span le, la;
	bool headers;
	char q1[80], q2[80];

	/* The header names the columns; with --columns they are found by name
	 * in each file, so a column added to a trace does not stop the
	 * comparison of the others. */
	if (header_names(&eh, e, elen) < 0 || header_names(&ah, a, alen) < 0)
		goto out;
	for (int i = 0; i < eh.n; i++)
		names_seen(fc->run, eh.f[i].s, eh.f[i].len, true);
	for (int i = 0; i < ah.n; i++)
		names_seen(fc->run, ah.f[i].s, ah.f[i].len, true);
	for (int i = 0; i < o->n_cols; i++) {
		const struct cmp_name *c = &o->cols[i];
		int ie = find_col(&eh, c->name, c->len), ia = find_col(&ah, c->name, c->len);

		if (ie >= 0 && ia >= 0)
			pairs[n_pairs++] = (struct col_pair){ ie, ia, c };
		else if (ie >= 0 || ia >= 0)
			diff_at(fc, ":1: column %.*s missing in %s", (int)c->len, c->name,
				ie < 0 ? "expected" : "actual");
	}
	headers = eh.n > 0 && ah.n > 0;

	for (int line = 1;; line++) {
		bool he = next_line(&pe, ee, &le), ha = next_line(&pa, ae, &la);
		struct cmp_value v = { .line = line };

		if (!he && !ha)
			break;
		if (!he || !ha) {
			if (he)
				extra_lines(fc, line, pe, ee, le, false);
			else
				extra_lines(fc, line, pa, ae, la, true);
			break;
		}
		if (line == 1 && headers && o->n_cols > 0)
			continue;
		if (is_comment(le) || is_comment(la)) {
			if (!name_eq(le.s, le.len, la.s, la.len)) {
				quote_pair(q1, q2, sizeof q1, le, la);
				diff_at(fc, ":%d: %s differs: expected \"%s\", actual \"%s\"", line,
					line == 1 ? "header" : "comment", q1, q2);
			}
			continue;
		}
		if (split(&fe, le, '\t') < 0 || split(&fa, la, '\t') < 0)
			goto out;
		v.time = fe.f[0].s;
		v.time_len = fe.f[0].len;
		if (o->n_cols == 0) {
			int n = fe.n < fa.n ? fe.n : fa.n;

			if (fe.n != fa.n)
				diff_at(fc, ":%d: time %s: expected %d fields, actual %d", line,
					quote(q1, sizeof q1, v.time, v.time_len), fe.n, fa.n);
			for (int j = 0; j < n; j++) {
				char gen[24];

				if (j < eh.n) {
					v.label = v.key = eh.f[j].s;
					v.label_len = v.key_len = eh.f[j].len;
				} else {
					/* no name: only a "*" rule applies, no table entry */
					v.label_len = (size_t)snprintf(gen, sizeof gen, "column %d", j + 1);
					v.label = gen;
					v.key = "";
					v.key_len = 0;
				}
				v.is_time = j == 0;
				value_cmp(fc, &v, fe.f[j].s, fe.f[j].len, fa.f[j].s, fa.f[j].len);
			}
			continue;
		}
		for (int j = 0; j < n_pairs; j++) {
			const struct col_pair *c = &pairs[j];

			v.label = v.key = c->name->name;
			v.label_len = v.key_len = c->name->len;
			v.is_time = c->ie == 0;
			if (c->ie >= fe.n || c->ia >= fa.n)
				diff_at(fc, ":%d: time %s: no %.*s field in %s", line,
					quote(q1, sizeof q1, v.time, v.time_len), (int)c->name->len,
					c->name->name, c->ie >= fe.n ? "expected" : "actual");
			else
				value_cmp(fc, &v, fe.f[c->ie].s, fe.f[c->ie].len, fa.f[c->ia].s,
					  fa.f[c->ia].len);
		}
	}
	rc = 0;
out:
	free(eh.f);
	free(ah.f);
	free(fe.f);
	free(fa.f);
	return rc;
}

static void cmp_text(struct file_cmp *fc, const char *e, size_t elen, const char *a,
		     size_t alen)
{
	const char *pe = e, *pa = a, *ee = e + elen, *ae = a + alen;
	struct span le, la;
	char q1[80], q2[80];

	for (int line = 1;; line++) {
		bool he = next_line(&pe, ee, &le), ha = next_line(&pa, ae, &la);

		if (!he && !ha)
			return;
		if (!he || !ha) {
			if (he)
				extra_lines(fc, line, pe, ee, le, false);
			else
				extra_lines(fc, line, pa, ae, la, true);
			return;
		}
		if (!name_eq(le.s, le.len, la.s, la.len)) {
			quote_pair(q1, q2, sizeof q1, le, la);
			diff_at(fc, ":%d: expected \"%s\", actual \"%s\"", line, q1, q2);
		}
	}
}

static void cmp_bytes(struct file_cmp *fc, const char *e, size_t elen, const char *a,
		      size_t alen)
{
	size_t n = elen < alen ? elen : alen, i = 0;

	while (i < n && e[i] == a[i])
		i++;
	if (i < n)
		diff_at(fc, ": differs at byte %zu (expected 0x%02x, actual 0x%02x)", i,
			(unsigned char)e[i], (unsigned char)a[i]);
	else if (elen != alen)
		diff_at(fc, ": actual is %s: %zu bytes, expected %zu", alen < elen ? "shorter" : "longer",
			alen, elen);
}

/* ---- JSON, flattened to leaves ------------------------------------------- */

struct jleaf {
	char *path;             /* flows[0].tcp.cwnd */
	const char *key;        /* its last key ("cwnd"), into the text */
	size_t key_len;
	const char *v;          /* the value as written ("4097", "\"ok\"", "{}") */
	size_t v_len;
	int line;
};

struct jparse {
	const char *p, *end;
	int line, depth;
	char path[1024];
	size_t plen;
	struct jleaf *leaf;
	int n, cap;
};

static void jws(struct jparse *j)
{
	for (; j->p < j->end && isspace((unsigned char)*j->p); j->p++)
		if (*j->p == '\n')
			j->line++;
}

/* At a '"': step past the string. */
static int jstring(struct jparse *j)
{
	for (j->p++; j->p < j->end; j->p++) {
		if (*j->p == '\\')
			j->p++;
		else if (*j->p == '"') {
			j->p++;
			return 0;
		} else if (*j->p == '\n')
			return -1;
	}
	return -1;
}

static int jleaf_add(struct jparse *j, const char *key, size_t key_len, const char *v,
		     size_t v_len, int line)
{
	if (j->n == j->cap) {
		int cap = j->cap ? 2 * j->cap : 64;
		struct jleaf *n = realloc(j->leaf, (size_t)cap * sizeof *n);

		if (!n)
			return -1;
		j->leaf = n;
		j->cap = cap;
	}
	j->leaf[j->n] = (struct jleaf){ .path = strdup(j->path), .key = key,
					.key_len = key_len, .v = v, .v_len = v_len, .line = line };
	return j->leaf[j->n++].path ? 0 : -1;
}

/* Append to the path; returns its old length to restore, or -1 if full. */
static int jpath_push(struct jparse *j, const char *fmt, const char *s, int len)
{
	size_t old = j->plen;
	int n = snprintf(j->path + old, sizeof j->path - old, fmt, len, s);

	if (n < 0 || (size_t)n >= sizeof j->path - old)
		return -1;
	j->plen += (size_t)n;
	return (int)old;
}

static int jvalue(struct jparse *j, const char *key, size_t key_len)
{
	const char *start;
	int line, rc = 0;

	jws(j);
	if (j->p >= j->end || ++j->depth > CMP_JSON_DEPTH)
		return -1;
	start = j->p;
	line = j->line;
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';

		j->p++;
		jws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			rc = jleaf_add(j, key, key_len, start, (size_t)(j->p - start), line);
			j->depth--;
			return rc;
		}
		for (int idx = 0;; idx++) {
			int old;

			jws(j);
			if (close == '}') {
				const char *k = j->p + 1;

				if (j->p >= j->end || *j->p != '"' || jstring(j) < 0)
					return -1;
				key = k;
				key_len = (size_t)(j->p - 1 - k);
				jws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return -1;
				old = jpath_push(j, j->plen ? ".%.*s" : "%.*s", key, (int)key_len);
			} else {
				char ix[16];

				snprintf(ix, sizeof ix, "%d", idx);
				old = jpath_push(j, "[%.*s]", ix, (int)strlen(ix));
			}
			if (old < 0 || jvalue(j, key, key_len) < 0)
				return -1;
			j->plen = (size_t)old;
			j->path[old] = '\0';
			jws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				break;
			}
			return -1;
		}
	} else if (*j->p == '"') {
		if (jstring(j) < 0)
			return -1;
		rc = jleaf_add(j, key, key_len, start, (size_t)(j->p - start), line);
	} else {
		while (j->p < j->end && !strchr(",}] \t\r\n", *j->p))
			j->p++;
		if (j->p == start)
			return -1;
		rc = jleaf_add(j, key, key_len, start, (size_t)(j->p - start), line);
	}
	j->depth--;
	return rc;
}

static int json_flatten(struct jparse *j, const char *s, size_t len)
{
	*j = (struct jparse){ .p = s, .end = s + len, .line = 1 };
	if (jvalue(j, "", 0) < 0)
		return -1;
	jws(j);
	return j->p == j->end ? 0 : -1;
}

static void json_free(struct jparse *j)
{
	for (int i = 0; i < j->n; i++)
		free(j->leaf[i].path);
	free(j->leaf);
}

/* Returns -1 when a file is not JSON: the caller compares lines instead. */
static int cmp_json(struct file_cmp *fc, const char *e, size_t elen, const char *a,
		    size_t alen)
{
	struct jparse je = { 0 }, ja = { 0 };
	int n, rc = -1;

	if (json_flatten(&je, e, elen) < 0 || json_flatten(&ja, a, alen) < 0)
		goto out;
	rc = 0;
	for (int i = 0; i < je.n; i++)
		names_seen(fc->run, je.leaf[i].key, je.leaf[i].key_len, false);
	n = je.n < ja.n ? je.n : ja.n;
	for (int i = 0; i < n; i++) {
		const struct jleaf *x = &je.leaf[i], *y = &ja.leaf[i];
		struct cmp_value v = { .line = x->line, .label = x->path, .label_len = strlen(x->path),
				       .key = x->key, .key_len = x->key_len };

		/* A different key means a different structure: what follows
		 * would pair unrelated values. */
		if (strcmp(x->path, y->path) != 0) {
			diff_at(fc, ":%d: expected key %s, actual key %s (actual line %d)", x->line,
				x->path, y->path, y->line);
			goto out;
		}
		value_cmp(fc, &v, x->v, x->v_len, y->v, y->v_len);
	}
	if (je.n > n) {
		diff_at(fc, ":%d: %s missing in actual", je.leaf[n].line, je.leaf[n].path);
		fc->n_diff += je.n - n - 1;
	} else if (ja.n > n) {
		diff_at(fc, ": %s (actual line %d) not in expected", ja.leaf[n].path,
			ja.leaf[n].line);
		fc->n_diff += ja.n - n - 1;
	}
out:
	json_free(&je);
	json_free(&ja);
	return rc;
}

/* Mark the column names of an identical TSV file, or the keys of an
 * identical JSON file, as seen (nothing else to do with them). */
static void names_of(struct cmp_run *run, const char *rel, const char *s, size_t len)
{
	if (ends_with(rel, ".tsv")) {
		struct fields h = { 0 };

		if (header_names(&h, s, len) == 0)
			for (int i = 0; i < h.n; i++)
				names_seen(run, h.f[i].s, h.f[i].len, true);
		free(h.f);
	} else if (ends_with(rel, ".json")) {
		struct jparse j = { 0 };

		if (json_flatten(&j, s, len) == 0)
			for (int i = 0; i < j.n; i++)
				names_seen(run, j.leaf[i].key, j.leaf[i].key_len, false);
		json_free(&j);
	}
}

/* ---- files and directories ------------------------------------------------ */

static int read_all(const char *dir, const char *rel, char **buf, size_t *len)
{
	char path[8192];
	size_t cap = 1 << 16;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	*len = 0;
	if (!(f = fopen(path, "rb")) || !(*buf = malloc(cap))) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	for (;;) {
		size_t n = fread(*buf + *len, 1, cap - *len, f);

		*len += n;
		if (*len < cap)
			break;
		char *nb = realloc(*buf, cap *= 2);

		if (!nb) {
			free(*buf);
			fclose(f);
			return -1;
		}
		*buf = nb;
	}
	if (ferror(f)) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", path, strerror(errno));
		free(*buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void dev_print(struct file_cmp *fc)
{
	FILE *f = fc->run->devs;

	for (int i = 0; f && i < fc->n_devs; i++) {
		const struct cmp_dev *d = &fc->devs[i];

		fprintf(f, "  %s %.*s: %.6g at line %d, ", fc->rel, (int)d->name_len, d->name,
			d->abs, d->abs_line);
		if (isinf(d->rel))
			fprintf(f, "relative inf (expected 0) at line %d\n", d->rel_line);
		else
			fprintf(f, "%.3g%% at line %d\n", 100 * d->rel, d->rel_line);
	}
}

/* Compare one file present on both sides.  Returns 0, or -1 if unreadable. */
static int compare_file(struct cmp_run *run, const char *rel)
{
	struct file_cmp fc = { .run = run, .rel = rel };
	char *e = NULL, *a = NULL;
	size_t elen, alen;
	bool same, binary;
	int rc = 0;

	if (read_all(run->o->expected, rel, &e, &elen) < 0 ||
	    read_all(run->o->actual, rel, &a, &alen) < 0) {
		free(e);
		return -1;
	}
	same = elen == alen && memcmp(e, a, elen) == 0;
	binary = ends_with(rel, ".pcap") || memchr(e, '\0', elen < 4096 ? elen : 4096);
	if (same)
		names_of(run, rel, e, elen);
	else if (binary)
		cmp_bytes(&fc, e, elen, a, alen);
	else if (ends_with(rel, ".tsv")) {
		if (cmp_tsv(&fc, e, elen, a, alen) < 0) {
			fprintf(stderr, "segsim: error: out of memory comparing %s\n", rel);
			rc = -1;
		}
	} else if (!ends_with(rel, ".json") || cmp_json(&fc, e, elen, a, alen) < 0)
		cmp_text(&fc, e, elen, a, alen);
	if (!same && fc.n_diff == 0 && run->strict) {
		size_t i = 0;
		int line = 1;

		while (i < elen && i < alen && e[i] == a[i])
			if (e[i++] == '\n')
				line++;
		diff_at(&fc, ":%d: differs at byte %zu, outside the values compared", line, i);
	}
	if (fc.n_diff > 0) {
		run->n_differ++;
		if (fc.n_diff > 1)
			fprintf(run->report, "%s%s [%d more difference%s in this file]\n", rel,
				fc.first, fc.n_diff - 1, fc.n_diff > 2 ? "s" : "");
		else
			fprintf(run->report, "%s%s\n", rel, fc.first);
	}
	dev_print(&fc);
	free(fc.devs);
	free(e);
	free(a);
	return rc;
}

struct flist {
	char **v;
	int n, cap;
};

static int flist_add(struct flist *l, const char *s)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 32;
		char **n = realloc(l->v, (size_t)cap * sizeof *n);

		if (!n)
			return -1;
		l->v = n;
		l->cap = cap;
	}
	return (l->v[l->n] = strdup(s)) ? (l->n++, 0) : -1;
}

static void flist_free(struct flist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Every regular file under root/rel, as paths relative to root; run.log
 * (wall-clock figures) and plots/ (rendered images) are not results. */
static int walk_tree(const char *root, const char *rel, struct flist *l)
{
	char dir[8192];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	if (!(d = opendir(dir))) {
		fprintf(stderr, "segsim: error: cannot open directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		char child[4096], path[12288];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		snprintf(path, sizeof path, "%s/%s", root, child);
		if (stat(path, &st) < 0) {
			fprintf(stderr, "segsim: error: %s: %s\n", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (strcmp(de->d_name, "plots") != 0)
				rc = walk_tree(root, child, l);
		} else if (S_ISREG(st.st_mode) && strcmp(de->d_name, "run.log") != 0) {
			rc = flist_add(l, child);
		}
	}
	closedir(d);
	return rc;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmp_check_dir(const char *what, const char *dir)
{
	struct stat st;

	if (!dir) {
		fprintf(stderr, "segsim: error: compare needs an %s directory\n", what);
		return -1;
	}
	if (stat(dir, &st) < 0) {
		fprintf(stderr, "segsim: error: %s directory %s: %s\n", what, dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "segsim: error: %s directory %s: not a directory\n", what, dir);
		return -1;
	}
	return 0;
}

bool cmp_same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int cmp_dirs(const struct cmp_opts *o, FILE *report)
{
	struct cmp_run run = { .o = o, .report = report,
			       .strict = o->n_tol == 0 && o->n_cols == 0 && !o->has_align };
	struct flist le = { 0 }, la = { 0 };
	char *devs_buf = NULL;
	size_t devs_len = 0;
	int i = 0, j = 0, rc = 2;

	if (cmp_check_dir("expected", o->expected) < 0 || cmp_check_dir("actual", o->actual) < 0)
		return 2;
	if (walk_tree(o->expected, "", &le) < 0 || walk_tree(o->actual, "", &la) < 0)
		goto out;
	qsort(le.v, (size_t)le.n, sizeof *le.v, str_cmp);
	qsort(la.v, (size_t)la.n, sizeof *la.v, str_cmp);
	if (!o->quiet)
		run.devs = open_memstream(&devs_buf, &devs_len);
	while (i < le.n || j < la.n) {
		int c = i < le.n && j < la.n ? strcmp(le.v[i], la.v[j]) : i < le.n ? -1 : 1;

		run.n_files++;
		if (c < 0) {
			fprintf(report, "%s: missing in actual\n", le.v[i++]);
			run.n_differ++;
		} else if (c > 0) {
			fprintf(report, "%s: not in expected (unexpected file)\n", la.v[j++]);
			run.n_differ++;
		} else {
			if (compare_file(&run, le.v[i]) < 0)
				goto out;
			i++;
			j++;
		}
	}
	for (int k = 0; k < o->n_tol; k++)
		if (!run.tol_seen[k] && !name_eq(o->tol[k].name, o->tol[k].name_len, "*", 1))
			fprintf(stderr, "segsim: warning: --tolerance: no column or key named '%.*s'\n",
				(int)o->tol[k].name_len, o->tol[k].name);
	for (int k = 0; k < o->n_cols; k++)
		if (!run.col_seen[k])
			fprintf(stderr, "segsim: warning: --columns: no column named '%.*s'\n",
				(int)o->cols[k].len, o->cols[k].name);
	if (run.devs) {
		fclose(run.devs);
		run.devs = NULL;
		if (devs_len > 0)
			fprintf(report, "largest deviations (file column: absolute, relative):\n%s",
				devs_buf);
	}
	if (!o->quiet)
		fprintf(report, "compare: %d files, %d differ\n", run.n_files, run.n_differ);
	rc = run.n_differ > 0;
out:
	if (run.devs)
		fclose(run.devs);
	free(devs_buf);
	flist_free(&le);
	flist_free(&la);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct cmp_opts o = { 0 };

	for (int i = 0; i < argc; i++) {
		int r = cmp_parse_opt(&o, argc, argv, &i);

		if (r < 0) {
			fputs(cmp_usage, stderr);
			return 2;
		}
		if (r > 0)
			continue;
		if (strcmp(argv[i], "-q") == 0) {
			o.quiet = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "segsim: error: unknown option '%s' to compare\n%s", argv[i],
				cmp_usage);
			return 2;
		} else if (!o.expected) {
			o.expected = argv[i];
		} else if (!o.actual) {
			o.actual = argv[i];
		} else {
			fprintf(stderr, "segsim: error: unexpected argument '%s'\n%s", argv[i], cmp_usage);
			return 2;
		}
	}
	if (!o.actual) {
		fprintf(stderr, "segsim: error: compare needs EXPECTED_DIR and ACTUAL_DIR\n%s",
			cmp_usage);
		return 2;
	}
	return cmp_dirs(&o, stdout);
}
