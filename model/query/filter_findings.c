/* filter_findings: the filter terms over Sigma findings, rule:VALUE and level:VALUE (see filter.h). The
 * store's findings (findings_of) decide them; without findings, or before the rules ran, they match
 * nothing. */
#include <stdlib.h>
#include <string.h>

#include "model/query/filter_impl.h"
#include "model/detect/findings.h"

int filter_findings_compile(const struct store *s, struct term *t, const char **why)
{
    if (t->kind == TK_LEVEL) {
        static const struct {
            const char *op;
            int cmp;
        } ops[] = {{">=", LEVEL_GE}, {"<=", LEVEL_LE}, {">", LEVEL_GT}, {"<", LEVEL_LT}, {"=", LEVEL_EQ}};
        const char *v = t->pat;
        t->level_cmp = LEVEL_EQ;
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
            if (strncmp(v, ops[k].op, strlen(ops[k].op)) == 0) {
                t->level_cmp = ops[k].cmp;
                v += strlen(ops[k].op);
                break;
            }
        t->level = sigma_level_parse(v, strlen(v));
        if (t->level < 0) {
            *why =
                "a level is informational, low, medium, high or critical, with >=, >, <=, < or = before it";
            return -1;
        }
        return 0;
    }
    /* rule: the rules whose id or title matches, as a mask over the rule set */
    const struct findings *fd = findings_of(s);
    if (!fd || !findings_done(fd))
        return 0;
    const struct sigma_set *set = findings_set(fd);
    size_t n = sigma_set_count(set);
    t->rules = calloc(n ? n : 1, 1);
    if (!t->rules)
        return -2;
    for (size_t r = 0; r < n; r++) {
        const struct sigma_rule *rule = sigma_set_rule(set, r);
        const char *id = sigma_rule_id(rule), *title = sigma_rule_title(rule);
        t->rules[r] =
            filter_pattern_matches(t, id, strlen(id)) || filter_pattern_matches(t, title, strlen(title));
    }
    return 0;
}

static int level_holds(int cmp, int have, int want)
{
    switch (cmp) {
    case LEVEL_GE:
        return have >= want;
    case LEVEL_GT:
        return have > want;
    case LEVEL_LE:
        return have <= want;
    case LEVEL_LT:
        return have < want;
    default:
        return have == want;
    }
}

int filter_findings_match(const struct filter *f, const struct term *t, size_t ev)
{
    const struct findings *fd = findings_of(f->s);
    if (!fd || (t->kind == TK_RULE && !t->rules))
        return 0;
    size_t n;
    const uint32_t *rules = findings_event_rules(fd, ev, &n);
    const struct sigma_set *set = findings_set(fd);
    for (size_t k = 0; k < n; k++) {
        if (t->kind == TK_RULE
                ? t->rules[rules[k]] != 0
                : level_holds(t->level_cmp, (int)sigma_rule_level(sigma_set_rule(set, rules[k])), t->level))
            return 1;
    }
    return 0;
}

int filter_uses_findings(const struct filter *f)
{
    for (size_t k = 0; k < f->nnodes; k++)
        if (f->nodes[k].kind == NODE_TERM && (f->nodes[k].term.kind == TK_RULE || f->nodes[k].term.kind == TK_LEVEL))
            return 1;
    return 0;
}
