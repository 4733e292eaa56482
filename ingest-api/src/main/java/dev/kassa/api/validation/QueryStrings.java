package dev.kassa.api.validation;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a raw query string strictly. Javalin's own parser drops a parameter whose escape is broken
 * ({@code limit=1%}), which would silently ignore what the client asked for; here it is a 400 naming
 * the parameter.
 */
public final class QueryStrings {

    private QueryStrings() {
    }

    /** The parameters of {@code rawQuery} (null or empty: none), values in order of appearance. */
    public static Map<String, List<String>> parse(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), pair);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name);
            parameters.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text, String parameter) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            String name = JsonFields.abbreviate(parameter);
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "query parameter " + name
                    + " is not properly percent-encoded", name);
        }
    }
}
