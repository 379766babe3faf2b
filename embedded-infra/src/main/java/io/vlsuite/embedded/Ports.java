package io.vlsuite.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before a server starts, so a busy port is one clear sentence instead of a stack trace. */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns {@code port} if it can be bound on {@code host}, a free port if {@code port} is 0, and otherwise
     * throws {@link PortInUseException} naming the component and the setting that changes the port.
     */
    public static int claim(String component, String host, int port, String setting) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return socket.getLocalPort();
        } catch (java.net.BindException e) {
            throw new PortInUseException(component, host, port, setting);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check port " + port + " on " + host + " for " + component, e);
        }
    }

    /** Thrown when a configured port is taken by another process. */
    public static final class PortInUseException extends IllegalStateException {
        public PortInUseException(String component, String host, int port, String setting) {
            super(component + " cannot start: port " + port + " on " + host
                    + " is already in use (another vlsuite or another program?). Stop it or set " + setting
                    + " to a free port.");
        }
    }
}
