/* usage: the text --help prints: every option, one line or more each (the man page's SYNOPSIS lists
 * the same options: tests/test_manpage.sh checks it). */
#ifndef CTVIEW_USAGE_H
#define CTVIEW_USAGE_H

extern const char ctview_usage[];

#endif
