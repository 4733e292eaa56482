# Builds the kassa fat jar and runs one `kassa` subcommand (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --create-home kassa && mkdir -p /var/lib/kassa/streams /var/lib/kassa/processor && chown -R kassa /var/lib/kassa
USER kassa
COPY --from=build /src/app/target/kassa.jar /opt/kassa/kassa.jar
ENTRYPOINT ["java", "-jar", "/opt/kassa/kassa.jar"]
