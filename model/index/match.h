/* match: the string tests the filter language is built from. ASCII case-insensitive (CloudTrail names,
 * ids and ARNs are ASCII; other bytes compare exactly), length-delimited, no locale. */
#ifndef CTVIEW_MATCH_H
#define CTVIEW_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* Whether all of s[0..slen) matches the pattern p[0..plen), where '*' stands for any run of bytes. */
int match_glob(const char *p, size_t plen, const char *s, size_t slen);

/* Whether s[0..slen) contains the pattern p[0..plen) anywhere; '*' inside p stands for any run of bytes. */
int match_contains(const char *p, size_t plen, const char *s, size_t slen);

/* An IPv4 or IPv6 network: an address and a prefix length (32 or 128 for a single address). */
struct ipnet {
    int family; /* 4 or 6 */
    unsigned char addr[16];
    int prefix;
};

/* Parses "a.b.c.d", "a.b.c.d/n", an IPv6 address or "v6/n" from s[0..len). Returns 0, or -1 when s is
 * not such an address, or when the prefix is out of range. */
int ipnet_parse(const char *s, size_t len, struct ipnet *net);

/* Whether the address text s[0..len) parses and lies inside net. */
int ipnet_contains(const struct ipnet *net, const char *s, size_t len);

#endif
