package dev.jchaos.sample;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jchaos.annotations.InjectDelay;
import dev.jchaos.sample.DownstreamUnavailableException.Reason;

/** Asks the pricing service for a unit price: {@code GET /prices/{sku}} answers {@code {"unitPriceCents":..}}. */
public class PricingClient {

    private final DownstreamHttp http;

    PricingClient(DownstreamHttp http) {
        this.http = http;
    }

    /**
     * The unit price of {@code sku} in cents; a delay point ({@code dev.jchaos.sample.PricingClient#quote}).
     *
     * @throws DownstreamUnavailableException when the pricing service cannot answer or answers nonsense
     */
    @InjectDelay(ms = 800)
    public long quote(String sku) {
        JsonNode answer = http.get("/prices/" + sku);
        JsonNode price = answer.get("unitPriceCents");
        if (price == null || !price.canConvertToLong() || !price.isIntegralNumber() || price.longValue() < 0) {
            throw new DownstreamUnavailableException("pricing", Reason.BAD_RESPONSE,
                    "answer has no non-negative integer 'unitPriceCents': " + answer, null);
        }
        return price.longValue();
    }
}
