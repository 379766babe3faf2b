package io.vlsuite.preprocess.chat;

import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one configured model. */
@RestController
public class ModelsController {

    private final String modelId;
    private final long created = Instant.now().getEpochSecond();

    public ModelsController(PreprocessProperties properties) {
        this.modelId = properties.modelId();
    }

    @GetMapping("/v1/models")
    public ResponseEntity<String> list() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", List.of(model()));
        return json(body);
    }

    @GetMapping("/v1/models/{*id}")
    public ResponseEntity<String> get(@PathVariable("id") String id) {
        String name = id.startsWith("/") ? id.substring(1) : id;
        if (!name.equals(modelId)) {
            throw new ApiException(404, ErrorCodes.MODEL_NOT_FOUND, "no model '" + name + "'");
        }
        return json(model());
    }

    private Map<String, Object> model() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", modelId);
        model.put("object", "model");
        model.put("created", created);
        model.put("owned_by", "vlsuite");
        return model;
    }

    private static ResponseEntity<String> json(Object body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.write(Json.API, body));
    }
}
