package io.vlsuite.gateway;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vlsuite.gateway.web.AccessLogFilter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogFilterTest {

    @Test
    void logsOneLineWithTheRequestIdAsAStructuredField() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.vlsuite.gateway.access");
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions"));
            exchange.getResponse().getHeaders().set("X-Request-Id", "req-7");
            new AccessLogFilter().filter(exchange, ex -> {
                ex.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
                return Mono.empty();
            }).block();

            assertThat(appender.list).hasSize(1);
            ILoggingEvent event = appender.list.getFirst();
            assertThat(event.getFormattedMessage()).startsWith("POST /v1/chat/completions -> 429 in ").endsWith("[req-7]");
            assertThat(event.getKeyValuePairs()).anySatisfy(kv -> {
                assertThat(kv.key).isEqualTo("request_id");
                assertThat(kv.value).isEqualTo("req-7");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }
}
