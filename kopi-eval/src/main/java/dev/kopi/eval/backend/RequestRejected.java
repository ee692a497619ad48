package dev.kopi.eval.backend;

import java.io.IOException;

/**
 * The backend refused this one request for good (an endpoint's 4xx, a prompt longer than the context): retrying
 * would not help. The runner records it as an empty answer, as SEA-HELM scores failed requests.
 */
public final class RequestRejected extends IOException {
    public RequestRejected(String message) {
        super(message);
    }
}
