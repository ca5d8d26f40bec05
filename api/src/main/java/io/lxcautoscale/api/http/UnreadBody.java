package io.lxcautoscale.api.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and throws away the part of a request body the handler did not read (a body refused as too large,
 * or refused before it was looked at: 401, 415, 429 ...), so the client has sent everything and can read the
 * answer. Closing a connection while body bytes are still arriving makes the kernel reset it, and a client
 * still writing then gets a broken pipe instead of the answer. At most {@link #DISCARD_LIMIT} bytes are
 * read; past that (or when the client stops sending) the answer goes out with {@code Connection: close}.
 */
final class UnreadBody {
    /** Bytes read and discarded at most per request (the largest allowed {@code server.max_body_bytes}). */
    static final long DISCARD_LIMIT = 16L << 20;

    private UnreadBody() {
    }

    static void discard(Context http) {
        try {
            InputStream in = http.req().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long left = DISCARD_LIMIT;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
            if (in.read() < 0) {
                return;
            }
        } catch (IOException e) {
            // the client stopped sending or went away: nothing left worth waiting for
        }
        http.header("Connection", "close");
    }
}
