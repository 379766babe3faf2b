package io.vlsuite.preprocess.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;

/**
 * Tells whether the client of an async request has closed its connection while nothing is being written to it.
 *
 * <p>A JSON answer is written only at the end, and on HTTP/1.1 Tomcat does not watch an idle connection of an
 * async request, so a client that hangs up goes unnoticed (HTTP/2 resets are reported by the container itself).
 * The probe puts the request body, already read completely, into non-blocking mode (a {@link ReadListener}); from
 * then on {@code available()} makes the container try a non-blocking read on the socket, which reports data
 * (end-of-stream counts as "readable") only when the client closed the connection or sent bytes after its request
 * (HTTP pipelining, which mainstream clients do not use). Containers without this behaviour simply never report a
 * closed connection.
 */
public final class ClientConnectionProbe {

    private static final ReadListener BODY_ALREADY_READ = new ReadListener() {
        @Override
        public void onDataAvailable() {
        }

        @Override
        public void onAllDataRead() {
        }

        @Override
        public void onError(Throwable t) {
        }
    };

    private final HttpServletRequest request;
    private boolean armed;
    private boolean unsupported;

    public ClientConnectionProbe(HttpServletRequest request) {
        this.request = request;
    }

    /** True once the client is known to be gone; false while it may still be there (or cannot be told). */
    public boolean clientGone() {
        if (unsupported) {
            return false;
        }
        try {
            if (!armed) {
                if (!request.isAsyncStarted()) {
                    return false;   // non-blocking input needs async mode; the caller probes again later
                }
                request.getInputStream().setReadListener(BODY_ALREADY_READ);
                armed = true;
            }
            return request.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        } catch (RuntimeException e) {
            unsupported = true;   // e.g. the request already completed, or the container refuses
            return false;
        }
    }
}
