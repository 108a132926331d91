# syntax=docker/dockerfile:1
# The Defence API image: docker build -t defence-api:0.1.0 .   (a local trial with PostgreSQL: docker compose up --build)
# It runs as a non-root user, writes only to /tmp (the root filesystem may be read-only) and listens on 8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download the packages again.
COPY nuget.config Directory.Build.props Directory.Packages.props ./
COPY build/packages/ build/packages/
COPY src/Domain/Defence.Domain.csproj src/Domain/
COPY src/Projections/Defence.Projections.csproj src/Projections/
COPY src/Api/Defence.Api.csproj src/Api/
RUN dotnet restore src/Api/Defence.Api.csproj
COPY src/ src/
# The project's own runtime settings (TieredPGO off, workstation GC) go into Defence.Api.runtimeconfig.json: nothing
# here or below overrides them (no DOTNET_TieredPGO, no DOTNET_gcServer).
RUN dotnet publish src/Api/Defence.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
# 1654 is the "app" user the .NET images create; numeric, so Kubernetes' runAsNonRoot can verify it.
USER 1654
# The runtime image has no curl or wget: the API's own probe mode asks 127.0.0.1 for the path and exits 0 on 2xx. It
# returns before the host is built, so each check costs a bare .NET start, not the API's, and needs no configuration.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "Defence.Api.dll", "probe", "/health/live"]
ENTRYPOINT ["dotnet", "Defence.Api.dll"]
