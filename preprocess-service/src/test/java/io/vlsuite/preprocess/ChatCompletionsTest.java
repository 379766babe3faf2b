package io.vlsuite.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.support.DataUrlPngIntake;
import io.vlsuite.preprocess.support.FakeEngine;
import io.vlsuite.preprocess.support.Pngs;
import io.vlsuite.preprocess.support.ServiceInstance;
import io.vlsuite.preprocess.support.Sse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/chat/completions} and {@code /v1/models} against the real embedded Kafka and S3, with a fake engine. */
@ExtendWith(EmbeddedInfraExtension.class)
class ChatCompletionsTest {

    static ServiceInstance service;

    @BeforeAll
    static void start() {
        service = ServiceInstance.start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static JsonNode json(String text) throws Exception {
        return Json.API.readTree(text);
    }

    @Test
    void publishesWithAnIdempotentProducerAndAcksAll() {
        var config = service.context().getBean(org.springframework.kafka.core.ProducerFactory.class).getConfigurationProperties();
        assertThat(String.valueOf(config.get("enable.idempotence"))).isEqualTo("true");
        assertThat(String.valueOf(config.get("acks"))).isIn("all", "-1");
        assertThat(Integer.parseInt(String.valueOf(config.get("max.in.flight.requests.per.connection")))).isLessThanOrEqualTo(5);
    }

    @Test
    void exposesTheInFlightGauge() throws Exception {
        assertThat(service.get("/actuator/prometheus").body()).contains("vlsuite_preprocess_jobs_in_flight");
    }

    @Test
    void listsTheConfiguredModel() throws Exception {
        var response = service.get("/v1/models");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("data").get(0).get("id").asText()).isEqualTo("vlsuite/tiny-trained");
        assertThat(body.get("data").get(0).get("owned_by").asText()).isEqualTo("vlsuite");
    }

    @Test
    void answersASyncRequestFromTheJobsEvents() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"model":"vlsuite/tiny-trained","messages":[{"role":"user","content":"Say hello"}],
                 "max_tokens":16,"temperature":0.2,"top_k":5,"seed":7,"stop":"\\n","some_future_field":{"x":1}}""");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response.body());
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("model").asText()).isEqualTo("vlsuite/tiny-trained");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Hello world");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(10);
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(2);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(12);

        var job = FakeEngine.get().job(body.get("id").asText());
        assertThat(job.lane().json()).isEqualTo("interactive");
        assertThat(job.sampling().maxTokens()).isEqualTo(16);
        assertThat(job.sampling().topK()).isEqualTo(5);
        assertThat(job.sampling().seed()).isEqualTo(7L);
        assertThat(job.sampling().stop()).containsExactly("\n");
        assertThat(job.deadline()).isNotNull();
    }

    @Test
    void countsVisionTokensInThePromptAndAcceptsBothImageUrlForms() throws Exception {
        String png = Pngs.dataUrl(56, 28);   // grid 1x2x4 -> 2 vision tokens
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"%s"}},
                  {"type":"image_url","image_url":"%s"},
                  {"type":"text","text":"What is this?"}]}],
                 "mm_processor_kwargs":{"max_pixels":200704}}""".formatted(png, png));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).get("usage").get("prompt_tokens").asInt()).isEqualTo(14);
        var job = FakeEngine.get().job(json(response.body()).get("id").asText());
        assertThat(job.messages().getFirst().content()).extracting(p -> p.type()).containsExactly("image", "image", "text");
    }

    @Test
    void returnsNChoicesAndLogprobs() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"hi"}],"n":2,"logprobs":true,"top_logprobs":2}""");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode choices = json(response.body()).get("choices");
        assertThat(choices).hasSize(2);
        assertThat(choices.get(1).get("index").asInt()).isEqualTo(1);
        JsonNode logprobs = choices.get(0).get("logprobs").get("content");
        assertThat(logprobs.get(0).get("token").asText()).isEqualTo("Hello");
        assertThat(logprobs.get(0).get("logprob").asDouble()).isEqualTo(-0.25);
        assertThat(logprobs.get(0).get("bytes")).hasSize(5);
    }

    @Test
    void streamsChunksInOpenAisFormatWithAFinalUsageChunk() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"stream please"}],"stream":true,
                 "stream_options":{"include_usage":true}}""");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        List<Sse.Event> events = Sse.parse(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (Sse.Event e : events.subList(0, events.size() - 1)) {
            chunks.add(json(e.data()));
        }
        String id = chunks.getFirst().get("id").asText();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo(id);
            assertThat(c.has("usage")).isTrue();
            assertThat(c.has("created")).isTrue();
        });
        JsonNode first = chunks.getFirst().get("choices").get(0);
        assertThat(first.get("delta").get("role").asText()).isEqualTo("assistant");
        assertThat(first.get("finish_reason").isNull()).isTrue();
        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.get("usage").isNull()).isTrue();
            JsonNode choice = chunk.get("choices").get(0);
            if (choice.get("delta").has("content")) {
                text.append(choice.get("delta").get("content").asText());
            }
            if (!choice.get("finish_reason").isNull()) {
                finishes.add(choice.get("finish_reason").asText());
            }
        }
        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(finishes).containsExactly("stop");
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("total_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void aJobRestartedByAnotherWorkerDoesNotRepeatTextTheClientHasSeen() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"restart"}],"stream":true}""");
        StringBuilder text = new StringBuilder();
        List<Sse.Event> events = Sse.parse(response.body());
        for (Sse.Event e : events.subList(0, events.size() - 1)) {
            JsonNode delta = json(e.data()).get("choices").get(0).get("delta");
            if (delta.has("content")) {
                text.append(delta.get("content").asText());
            }
        }
        assertThat(text.toString()).isEqualTo("Hello world");
        var sync = service.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"restart\"}]}");
        assertThat(json(sync.body()).get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello world");
    }

    @Test
    void streamsWithoutUsageFieldsUnlessAskedTo() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"stream please"}],"stream":true}""");
        List<Sse.Event> events = Sse.parse(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        for (Sse.Event e : events.subList(0, events.size() - 1)) {
            assertThat(json(e.data()).has("usage")).isFalse();
            assertThat(json(e.data()).get("choices")).isNotEmpty();
        }
    }

    @Test
    void aFailedJobIsAProblemWithTheWorkersCode() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"please fail"}]}""");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response.body());
        assertThat(problem.get("code").asText()).isEqualTo("engine_error");
        assertThat(problem.get("job_id").asText()).startsWith("chatcmpl-");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON                 | 400 | invalid_request         | {"messages": [
            body is an array               | 400 | invalid_request         | []
            messages missing               | 400 | invalid_request         | {"model":"vlsuite/tiny-trained"}
            messages empty                 | 400 | invalid_request         | {"messages":[]}
            unknown role                   | 400 | invalid_request         | {"messages":[{"role":"wizard","content":"hi"}]}
            content wrong type             | 400 | invalid_request         | {"messages":[{"role":"user","content":42}]}
            image in a system message      | 400 | invalid_request         | {"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}
            unsupported part type          | 400 | invalid_request         | {"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}
            reserved vision token          | 400 | invalid_request         | {"messages":[{"role":"user","content":"<|image_pad|>"}]}
            stream is a string             | 400 | invalid_request         | {"messages":[{"role":"user","content":"hi"}],"stream":"yes"}
            skip_special_tokens a string   | 400 | invalid_request         | {"messages":[{"role":"user","content":"hi"}],"skip_special_tokens":"no"}
            temperature is a string        | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}
            temperature too high           | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"temperature":5}
            huge max_tokens                | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"max_tokens":1e30}
            huge integer max_tokens        | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"max_tokens":123456789012345678901234567890}
            fractional n                   | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"n":1.5}
            n above the limit              | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"n":1000000}
            top_p zero                     | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"top_p":0}
            stop of numbers                | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"stop":[1,2]}
            top_logprobs without logprobs  | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"top_logprobs":3}
            seed not an integer            | 400 | invalid_sampling_params | {"messages":[{"role":"user","content":"hi"}],"seed":"abc"}
            max_pixels above server limit  | 400 | invalid_request         | {"messages":[{"role":"user","content":"hi"}],"mm_processor_kwargs":{"max_pixels":1000000000}}
            unknown model                  | 404 | model_not_found         | {"model":"gpt-5-mini","messages":[{"role":"user","content":"hi"}]}
            """)
    void refusesBadInputWithAProblemAndACode(String name, int status, String code, String body) throws Exception {
        int mediaCalls = DataUrlPngIntake.CALLS.get();
        int jobs = FakeEngine.get().jobs().size();
        var response = service.post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response.body());
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).endsWith("/" + code);
        assertThat(problem.get("instance").asText()).isEqualTo("/v1/chat/completions");
        assertThat(DataUrlPngIntake.CALLS.get()).isEqualTo(mediaCalls);
        Thread.sleep(50);
        assertThat(FakeEngine.get().jobs()).hasSize(jobs);
    }

    @Test
    void tooManyImagesAreRefusedBeforeAnyMediaWork() throws Exception {
        int mediaCalls = DataUrlPngIntake.CALLS.get();
        String part = "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + Pngs.dataUrl(28, 28) + "\"}}";
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[" + String.join(",", java.util.Collections.nCopies(9, part))
                + "]}]}";
        var response = service.post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("code").asText()).isEqualTo("too_many_media");
        assertThat(DataUrlPngIntake.CALLS.get()).isEqualTo(mediaCalls);
    }

    @Test
    void mediaErrorsKeepTheirCodes() throws Exception {
        var response = service.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]}]}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("code").asText()).isEqualTo("unsupported_media_source");
    }

    @Test
    void refusesNonJsonContentTypes() throws Exception {
        var request = HttpRequest.newBuilder(service.uri("/v1/chat/completions"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response.body()).get("code").asText()).isEqualTo("unsupported_content_type");
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() throws Exception {
        var missing = service.get("/v1/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing.body()).get("code").asText()).isEqualTo("not_found");
        var method = service.get("/v1/chat/completions");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(json(method.body()).get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void servesCleartextHttp2UpgradesThatCarryABody() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String png = Pngs.dataUrl(300, 200);   // a body well above any upgrade buffer
        for (String content : List.of("\"h2c please\"",
                "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + png + "\"}},{\"type\":\"text\",\"text\":\"h2c\"}]")) {
            HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            var request = HttpRequest.newBuilder(service.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}"))
                    .build();
            var response = fresh.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response.body()).get("choices").get(0).get("message").get("content").asText())
                    .isEqualTo("Hello world");
            // the second request on the same client runs over the upgraded connection
            var again = fresh.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(again.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(again.statusCode()).isEqualTo(200);
        }
        var models = h2.send(HttpRequest.newBuilder(service.uri("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(models.statusCode()).isEqualTo(200);
    }
}
