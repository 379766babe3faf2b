package io.vlsuite.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashSet;
import java.util.Set;

/** The tenant's job list, read through the public API. */
final class Jobs {

    private Jobs() {
    }

    /** Every job id of the client's tenant, all pages. */
    static Set<String> allIds(SuiteClient client) {
        Set<String> ids = new LinkedHashSet<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            SuiteClient.Answer answer = client.get("/v1/jobs?limit=100" + (after == null ? "" : "&after=" + after));
            if (answer.status() != 200) {
                throw new AssertionError("listing jobs answered " + answer.status() + ": " + answer.body());
            }
            JsonNode list = answer.json();
            list.path("data").forEach(job -> ids.add(job.path("id").asText()));
            if (!list.path("has_more").asBoolean()) {
                return ids;
            }
            after = list.path("last_id").asText();
        }
        throw new AssertionError("more than 100000 jobs listed");
    }

    /** A ledger of every job the tenant has: they all must settle. */
    static JobLedger ledgerOfEverything(SuiteClient client) {
        JobLedger ledger = new JobLedger();
        allIds(client).forEach(ledger::accepted);
        return ledger;
    }
}
