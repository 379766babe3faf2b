package io.vlsuite.preprocess.chat;

import io.vlsuite.preprocess.api.JsonBodyReader;
import io.vlsuite.preprocess.tenant.TenantResolver;
import io.vlsuite.preprocess.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/chat/completions}, as vLLM's OpenAI server answers it. */
@RestController
public class ChatCompletionController {

    private final JsonBodyReader bodies;
    private final ChatRequestParser parser;
    private final ChatCompletionHandler handler;
    private final TenantResolver tenants;

    public ChatCompletionController(JsonBodyReader bodies, ChatRequestParser parser, ChatCompletionHandler handler,
                                    TenantResolver tenants) {
        this.bodies = bodies;
        this.parser = parser;
        this.handler = handler;
        this.tenants = tenants;
    }

    @PostMapping("/v1/chat/completions")
    public Object create(HttpServletRequest request, HttpServletResponse response)
            throws InterruptedException {
        String tenant = tenants.tenantOf(request);
        ChatRequest chat = parser.parse(bodies.read(request).json());
        return handler.handle(tenant, MDC.get(RequestIdFilter.MDC_KEY), chat, request, response);
    }
}
