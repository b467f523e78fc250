/* trim: the one blank-trimming helper of the line-oriented readers (the config file, the AWS shared
 * credentials and config files). */
#ifndef CTVIEW_TRIM_H
#define CTVIEW_TRIM_H

#include <string.h>

/* s without its leading spaces and tabs, its trailing spaces, tabs and carriage return (a file written
 * on Windows) cut in place. Returns a pointer into s. */
static inline char *trim_blanks(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

#endif
