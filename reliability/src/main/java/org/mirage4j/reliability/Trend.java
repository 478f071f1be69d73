package org.mirage4j.reliability;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Whether a quantity grows over the last half of a soak run: the least-squares slope over those samples, projected
 * across them, against a tolerance. A quantity that is flat or that only wobbles (GC, TIME-WAIT coming and going)
 * stays within it; a leak, which adds the same every minute, does not once the run is long enough.
 *
 * @param name what is measured
 * @param first the mean over the last half's first quarter-run (for the table)
 * @param growth the slope times the last half's duration: how much it grew across the last half
 * @param tolerance how much growth is still flat
 */
record Trend(String name, double first, double growth, double tolerance) {

    boolean grows() {
        return growth > tolerance;
    }

    /**
     * The trend of {@code value} over the last half of {@code samples}; flat while growth stays within
     * {@code absolute} or {@code relative} times the median of the last half, whichever is larger.
     */
    static Trend of(String name, List<Sample> samples, ToDoubleFunction<Sample> value, double absolute, double relative) {
        List<Sample> half = samples.subList(samples.size() / 2, samples.size());
        int n = half.size();
        double meanT = half.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double meanV = half.stream().mapToDouble(value).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (Sample s : half) {
            covariance += (s.seconds() - meanT) * (value.applyAsDouble(s) - meanV);
            variance += (s.seconds() - meanT) * (s.seconds() - meanT);
        }
        double slope = variance == 0 ? 0 : covariance / variance;
        double span = n < 2 ? 0 : half.getLast().seconds() - half.getFirst().seconds();
        double[] sorted = half.stream().mapToDouble(value).sorted().toArray();
        double median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        double first = half.stream().limit(Math.max(1, n / 2)).mapToDouble(value).average().orElse(0);
        return new Trend(name, first, slope * span, Math.max(absolute, relative * median));
    }

    String line() {
        return String.format("%-22s start of last half %12.1f, grew %12.1f across it (flat within %.1f): %s", name, first,
                growth, tolerance, grows() ? "GROWS" : "flat");
    }
}
