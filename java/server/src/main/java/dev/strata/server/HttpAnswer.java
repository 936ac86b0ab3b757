package dev.strata.server;

import java.util.Map;

/**
 * What an endpoint answers: a status and a body that is either serialized as JSON or, for a
 * {@link Text}, sent as is (the Prometheus exposition).
 */
record HttpAnswer(int status, Object body) {

    record Text(String contentType, String text) {}

    static final Map<String, Object> EMPTY = Map.of();

    static HttpAnswer ok(Object body) {
        return new HttpAnswer(200, body);
    }

    static HttpAnswer created() {
        return new HttpAnswer(201, EMPTY);
    }

    static HttpAnswer emptyOk() {
        return new HttpAnswer(200, EMPTY);
    }
}
