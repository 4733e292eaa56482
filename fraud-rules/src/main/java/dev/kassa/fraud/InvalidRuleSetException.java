package dev.kassa.fraud;

/**
 * A rule file or rule set that cannot be loaded, and why: which part of it (the rule set, or a rule
 * by id and index), which field, what was wrong and what is allowed — for example
 * {@code rule "velocity-1m" (rules[0]): field "op": "=>" is not a comparison; allowed: >, >=, <, <=, ==, !=}.
 * The message is meant for the person who wrote the file, so it never carries a parser's stack; the
 * parser's exception, if any, is kept as the cause.
 */
public final class InvalidRuleSetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String field;
    private final String problem;

    InvalidRuleSetException(String subject, String field, String problem) {
        this(subject, field, problem, null);
    }

    InvalidRuleSetException(String subject, String field, String problem, Throwable cause) {
        super(subject + (field == null ? "" : ": field \"" + field + "\"") + ": " + problem, cause);
        this.subject = subject;
        this.field = field;
        this.problem = problem;
    }

    /** The same problem reported of a more precise subject (a rule's index is known only to the parser). */
    InvalidRuleSetException about(String preciseSubject) {
        return new InvalidRuleSetException(preciseSubject, field, problem, this);
    }

    /** What is wrong: {@code rule set}, {@code rule file} or {@code rule "id" (rules[i])}. */
    public String subject() {
        return subject;
    }

    /** The field at fault as the rule file names it, e.g. {@code op} or {@code allow_list[3]}; null when the whole file is at fault. */
    public String field() {
        return field;
    }

    /** What was wrong and what is allowed. */
    public String problem() {
        return problem;
    }
}
