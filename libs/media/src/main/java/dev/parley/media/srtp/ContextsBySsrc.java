package dev.parley.media.srtp;

import java.util.Arrays;

/**
 * The crypto contexts of one direction of an {@link SrtpTransformer}, by SSRC (RFC 3711 §3.2.3:
 * one context per SSRC): an open-addressing table keyed by the 32-bit SSRC itself, consulted for
 * every packet, so a look-up neither boxes the SSRC nor allocates a lambda. Used only under the
 * transformer's lock; like the maps it replaces, it never forgets a context.
 */
final class ContextsBySsrc<C> {

    private int[] ssrcs = new int[8];
    private Object[] contexts = new Object[8];
    private int size;

    /** The context of {@code ssrc}, or {@code null} before one was added. */
    @SuppressWarnings("unchecked")
    C get(int ssrc) {
        int mask = ssrcs.length - 1;
        for (int i = slot(ssrc, mask); contexts[i] != null; i = (i + 1) & mask) {
            if (ssrcs[i] == ssrc) {
                return (C) contexts[i];
            }
        }
        return null;
    }

    /** Adds the context of an SSRC that has none yet. */
    void add(int ssrc, C context) {
        if (2 * (size + 1) > ssrcs.length) {
            grow();
        }
        insert(ssrc, context);
        size++;
    }

    private void insert(int ssrc, Object context) {
        int mask = ssrcs.length - 1;
        int i = slot(ssrc, mask);
        while (contexts[i] != null) {
            i = (i + 1) & mask;
        }
        ssrcs[i] = ssrc;
        contexts[i] = context;
    }

    private void grow() {
        int[] oldSsrcs = ssrcs;
        Object[] oldContexts = contexts;
        ssrcs = new int[2 * oldSsrcs.length];
        contexts = new Object[2 * oldContexts.length];
        for (int i = 0; i < oldSsrcs.length; i++) {
            if (oldContexts[i] != null) {
                insert(oldSsrcs[i], oldContexts[i]);
            }
        }
        Arrays.fill(oldContexts, null);
    }

    /** SSRCs are random (RFC 3550 §8.1), but mixing keeps chosen ones from clustering. */
    private static int slot(int ssrc, int mask) {
        return (ssrc * 0x9E37_79B9) >>> 16 & mask;
    }
}
