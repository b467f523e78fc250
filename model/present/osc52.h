/* osc52: the terminal escape that puts text on the clipboard (OSC 52), which works over ssh and inside
 * tmux (set-clipboard on) and screen. The text travels base64-encoded, so nothing from a log reaches the
 * terminal raw: the sequence is ESC ] 5 2 ; c ; BASE64 BEL and nothing else. */
#ifndef CTVIEW_OSC52_H
#define CTVIEW_OSC52_H

#include <stddef.h>

/* Larger values are refused: terminals cap the sequence (xterm and tmux at about 1 MB encoded). */
#define OSC52_MAX 500000

/* Standard base64 (RFC 4648, '=' padding, no line breaks) of data[0..len) into out, which must hold
 * 4 * ((len + 2) / 3) + 1 bytes; NUL-terminated. Returns the encoded length. */
size_t osc52_base64(const char *data, size_t len, char *out);

/* The whole escape sequence for data[0..len), owned by the caller (free), its length in *out_len. NULL
 * when len exceeds OSC52_MAX or when out of memory. */
char *osc52_encode(const char *data, size_t len, size_t *out_len);

#endif
