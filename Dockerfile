# syntax=docker/dockerfile:1
# The gateway as a container: built from source with the Maven wrapper, run on a JRE as a non-root
# user. `docker build -t mdm-gateway .` from the repository root; see README "Container image".

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl gateway -am package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed uid/gid so Kubernetes' runAsNonRoot can check it (the chart runs as 10001 too).
RUN groupadd --system --gid 10001 mdmgw \
 && useradd --system --uid 10001 --gid mdmgw --home-dir /data --shell /usr/sbin/nologin mdmgw \
 && mkdir -p /data && chown mdmgw:mdmgw /data
COPY --from=build /src/gateway/target/mdm-gateway.jar /opt/mdm-gateway/mdm-gateway.jar
USER 10001:10001
WORKDIR /data
ENV MDMGW_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:MaxGCPauseMillis=10 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 9090
# Exec form: java is PID 1 and receives SIGTERM itself, so the drain runs and the exit code is 0.
ENTRYPOINT ["java", "-jar", "/opt/mdm-gateway/mdm-gateway.jar"]
