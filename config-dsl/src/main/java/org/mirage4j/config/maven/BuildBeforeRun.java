package org.mirage4j.config.maven;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code mvn exec:java} build the application first. Run alone, a plugin goal runs no
 * lifecycle phase: the unikernel would start from whatever {@code target/classes} held, without
 * the code generated from {@code Config.java} or the last edit of {@code Dispatch.java}. When the
 * goals name {@code exec:java} or {@code exec:exec} and no phase, this adds
 * {@code process-classes} in front, as if the user had typed it.
 *
 * <p>Loaded because the app parent POM declares this plugin with {@code <extensions>true</extensions>}.
 */
@Named("mirage-build-before-run")
@Singleton
public final class BuildBeforeRun extends AbstractMavenLifecycleParticipant {

    private static final Logger LOG = LoggerFactory.getLogger(BuildBeforeRun.class);
    private static final String PHASE = "process-classes";

    @Override
    public void afterProjectsRead(MavenSession session) {
        List<String> goals = session.getRequest().getGoals();
        if (!needsBuild(goals)) return;
        List<String> withBuild = new ArrayList<>(goals.size() + 1);
        withBuild.add(PHASE);
        withBuild.addAll(goals);
        session.getRequest().setGoals(withBuild);
        LOG.info("[mirage] {}: building the application first ({})", String.join(" ", goals), PHASE);
    }

    /** Whether {@code goals} run the application but name no lifecycle phase that would build it. */
    static boolean needsBuild(List<String> goals) {
        boolean runs = false;
        for (String goal : goals) {
            if (!goal.contains(":")) return false; // a phase such as compile or package: the user chose
            runs |= isExec(goal);
        }
        return runs;
    }

    private static boolean isExec(String goal) {
        String[] parts = goal.split(":");
        String name = parts[parts.length - 1];
        boolean execPlugin = parts[0].equals("exec") || goal.startsWith("org.codehaus.mojo:exec-maven-plugin:");
        return execPlugin && (name.equals("java") || name.equals("exec"));
    }
}
