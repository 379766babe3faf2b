package io.vlsuite.inference.triton;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes UTF-8 that arrives in pieces: a multi-byte character split across two responses (TensorRT-LLM's
 * postprocessing decodes each delta separately) is held back until its last byte arrives.
 */
final class Utf8Stream {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private byte[] pending = new byte[0];

    /** The text complete so far; an incomplete trailing character waits for the next call. */
    String feed(byte[] bytes) {
        byte[] all = concat(pending, bytes);
        ByteBuffer in = ByteBuffer.wrap(all);
        CharBuffer out = CharBuffer.allocate(all.length + 1);
        decoder.reset();
        decoder.decode(in, out, false);
        pending = Arrays.copyOfRange(all, in.position(), all.length);
        return out.flip().toString();
    }

    /** What is left at the end of the request: an incomplete character becomes U+FFFD. */
    String finish() {
        if (pending.length == 0) {
            return "";
        }
        String rest = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return rest;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
