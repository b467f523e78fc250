/* command: the ':' command line as a table: each command's name, arguments and help, how its arguments
 * complete, and the parser that turns a typed line into a call. The TUI runs the calls.
 *
 * A command may be abbreviated to any unambiguous prefix (":g 100", ":exp out.csv csv"), as in vi. */
#ifndef CTVIEW_COMMAND_H
#define CTVIEW_COMMAND_H

#include <stddef.h>

enum cmd_id {
    CMD_GOTO,
    CMD_FILTER,
    CMD_MARK,
    CMD_EXPORT,
    CMD_TZ,
    CMD_SORT,
    CMD_HELP,
    CMD_QUIT,
    CMD_REPORT,
    CMD_NOTE,
    CMD_TAG,
    CMD_UNTAG,
    CMD_CASE,
    CMD__COUNT
};

/* What an argument completes to. */
enum cmd_arg { ARG_NONE, ARG_TEXT, ARG_FORMAT, ARG_ZONE, ARG_FIELD, ARG_ORDER, ARG_FILE };

struct cmd_def {
    const char *name;
    enum cmd_id id;
    int min_args, max_args; /* words; a text command takes the rest of the line as its one argument */
    enum cmd_arg arg1, arg2;
    const char *usage; /* ":goto TIME|ROW" */
    const char *help;
};

/* The table, CMD__COUNT rows in enum order. */
const struct cmd_def *cmd_table(void);

/* The longest argument, in bytes with its NUL: a text argument holds a filter (FILTER_MAX_LEN) or a note
 * (CASE_MAX_NOTE) whole, as the interface's command line does (tui/prompt.h). */
#define CMD_LINE_MAX 16384

struct cmd_call {
    const struct cmd_def *def; /* borrowed from the table */
    int argc;
    char argv[2][CMD_LINE_MAX]; /* a text argument whole, else words ("quoted words" kept together) */
};

/* Parses line (without the ':'). Returns 0, or -1 with the reason in err[0..errlen): an unknown or
 * ambiguous name (the candidates named), too few or too many arguments (the usage shown). An empty line
 * is -1 with an empty err (nothing to do). */
int cmd_parse(const char *line, struct cmd_call *call, char *err, size_t errlen);

/* Completions of the word under the end of line: each a whole new line (owned: free each, then the
 * array). Command names at the start; formats, zone names, short field names, asc/desc, file names (a
 * directory's ends with '/') as the arguments call for them. Returns how
 * many (0 when nothing fits; *out is then NULL), or -1 when out of memory. */
int cmd_complete(const char *line, char ***out);

/* What the word under the end of line is: the kind of argument it is (ARG_NONE for the command name or
 * past the arguments) and where it starts (*head, a byte offset in line). Returns 0, or -1 when line names
 * no one command. cmd_complete completes each kind but ARG_FIELD's JSON paths, which the caller knows. */
int cmd_word(const char *line, enum cmd_arg *kind, size_t *head);

/* The longest common prefix of lines[0..n), as a byte count. */
size_t cmd_common_prefix(char *const *lines, size_t n);

#endif
