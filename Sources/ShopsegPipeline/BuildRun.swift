import Foundation
import ShopsegEngine
import ShopsegWarehouse

/// The work of one run, between `startRun` and the publishing transaction.
struct BuildRun {
    let warehouse: Warehouse
    let options: BuildOptions
    let runId: Int64
    let asOf: String
    let campaigns: [CampaignFile]
    let progress: ((BuildStage) -> Void)?

    func execute(warnings startWarnings: [String]) throws -> BuildSummary {
        let retentionJob = RetentionStep.start(warehouse: warehouse, asOf: asOf)
        progress?(.readingFeatures)
        let table = try warehouse.readFeatures(view: options.featureView, asOf: asOf)
        CrashPoint.afterReadingFeatures.reached()
        let n = table.userIds.count
        try QualityGates.checkData(options: options, users: n, loadsSincePublish: try warehouse.loadsSincePublish())
        if options.kRange == nil, options.algorithm != .dbscan, options.distanceThreshold == nil, n < options.k {
            throw PipelineError.tooFewUsers(users: n, k: options.k, view: options.featureView)
        }

        progress?(.preparing)
        let raw = Matrix(rows: n, columns: table.columnNames.count, values: table.values)
        let prepared = try FeaturePreparation(imputation: options.impute, winsorize: options.winsorize,
                                              transform: options.transform, scaler: options.scaler)
            .fit(raw, columnNames: table.columnNames)
        let space = try ModelSpace(prepared.matrix, reduce: options.reduce)

        progress?(.clustering)
        let outcome = try Clustering.run(space.matrix, options: options).canonicallyNumbered()

        progress?(.evaluating)
        let metrics = try Evaluation.metrics(space.matrix, outcome: outcome, options: options)
        var warnings = startWarnings + prepared.warnings + space.pca.warnings + outcome.warnings
        if let note = metrics.silhouetteNote, metrics.silhouette == nil { warnings.append("silhouette undefined: \(note)") }

        progress?(.matching)
        let previous = try warehouse.publishedRun()
        let identity = try SegmentIdentity(userIds: table.userIds, labels: outcome.labels, clusterCount: outcome.clusterCount,
                                           previous: previous?.segmentOfUser ?? [:],
                                           firstFreshId: try warehouse.firstFreshSegmentId())
        let segmentIds = outcome.labels.map { $0 >= 0 ? identity.segmentIdOfLabel[$0] : -1 }
        try QualityGates.checkClustering(options: options, labels: outcome.labels)

        var runMetrics = metrics.run
        if let previous {
            let shared = table.userIds.indices.filter { previous.segmentOfUser[table.userIds[$0]] != nil }
            if shared.count >= 2 {
                runMetrics.ariPrevious = try AdjustedRandIndex.score(shared.map { previous.segmentOfUser[table.userIds[$0]]! },
                                                                     shared.map { segmentIds[$0] })
            }
        }

        progress?(.describing)
        let profiles = SegmentProfiler.profiles(of: table, segmentIds: segmentIds)
        let rfm = RFMStep.scores(warehouse: warehouse, asOf: asOf, features: table, userIds: table.userIds, warnings: &warnings)
        var sizes: [Int: Int] = [:]
        for id in segmentIds { sizes[id, default: 0] += 1 }
        let labels = SegmentNaming.labels(
            profiles: profiles, sizes: sizes, userSegments: segmentIds, userRFMSegments: rfm.map { $0?.segment },
            previousNames: previous?.segmentNames ?? [:],
            kept: Set(identity.lineage.filter { $0.status == "kept" }.map(\.segmentId)))
        let retention = retentionJob.value()
        warnings += retention.warnings

        progress?(.writing)
        let parameters = try BuildParameters.json(options, extra: outcome.details.merging([
            "features_used": prepared.columnNames,
            "transforms": Dictionary(uniqueKeysWithValues: zip(prepared.columnNames, prepared.transforms.map(\.rawValue))),
            "silhouette_sample_size": metrics.silhouetteSampleSize,
            "n_components": space.reducedComponents.map { $0 as Any } ?? NSNull(),
        ]) { $1 })
        var output = RunOutput(
            parametersJSON: parameters, nFeatures: space.matrix.columns, metrics: runMetrics, warnings: warnings,
            assignments: table.userIds.indices.map {
                SegmentAssignment(userId: table.userIds[$0], segmentId: segmentIds[$0], distanceToCentroid: outcome.distances[$0],
                                  pc1: space.pc1[$0], pc2: space.pc2[$0])
            },
            profiles: profiles,
            model: ModelBuilder.model(prepared: prepared, space: space, outcome: outcome, segmentIdOfLabel: identity.segmentIdOfLabel))
        output.previousRunId = previous?.runId
        output.lastEventId = table.lastEventId
        output.lastBatchId = table.lastBatchId
        output.labels = labels
        output.rfmScores = zip(table.userIds, rfm).compactMap { user, score in
            score.map { RFMScoreRow(userId: user, r: $0.r, f: $0.f, m: $0.m, cell: $0.cell, segment: $0.segment) }
        }
        output.retention = retention.output
        output.lineage = identity.lineage.map { SegmentLineageRow(segmentId: $0.segmentId, status: $0.status, sharedUsers: $0.sharedUsers) }
        output.kSelection = outcome.kSelection.map {
            KSelectionRow(k: $0.k, inertia: $0.inertia, silhouette: $0.silhouette, daviesBouldin: $0.daviesBouldin,
                          calinskiHarabasz: $0.calinskiHarabasz, isChosen: $0.k == outcome.chosenK)
        }
        output.linkage = outcome.linkage.map { LinkageRow(left: $0.left, right: $0.right, distance: $0.distance, size: $0.size) }
        if previous != nil {
            output.transitions = identity.transitions
                .map { SegmentTransitionRow(fromSegmentId: $0.key.from, toSegmentId: $0.key.to, users: $0.value) }
                .sorted { ($0.fromSegmentId ?? -2, $0.toSegmentId ?? -2) < ($1.fromSegmentId ?? -2, $1.toSegmentId ?? -2) }
        }
        CrashPoint.beforePublishing.reached()
        let campaignSummaries = try warehouse.publishRun(runId, output, campaigns: campaigns,
                                                         beforeCommit: { CrashPoint.whileWritingLabels.reached() })

        var result = summary(table: table, prepared: prepared, space: space, outcome: outcome, segmentIds: segmentIds, identity: identity,
                       previous: previous, metrics: metrics, profiles: profiles, labels: labels, warnings: warnings)
        for c in campaignSummaries where c.unknownUsers > 0 {
            result.warnings.append("campaign \(c.campaignId): \(c.unknownUsers) user_id(s) its SELECT returned are neither in the run nor in users; dropped")
        }
        result.campaigns = campaignSummaries.map {
            BuildSummary.Campaign(campaignId: $0.campaignId, channel: $0.channel, audience: $0.audience,
                                  treated: $0.treated, holdout: $0.holdout)
        }
        return result
    }

    private func summary(table: FeatureTable, prepared: PreparedFeatures, space: ModelSpace, outcome: ClusteringOutcome, segmentIds: [Int],
                         identity: SegmentIdentity, previous: PublishedRun?, metrics: Evaluation.Metrics,
                         profiles: [SegmentProfileRow], labels: [SegmentLabel], warnings: [String]) -> BuildSummary {
        let names = Dictionary(uniqueKeysWithValues: labels.map { ($0.segmentId, $0.name) })
        let n = table.userIds.count
        var sizes: [Int: Int] = [:]
        for id in segmentIds { sizes[id, default: 0] += 1 }
        let status = Dictionary(uniqueKeysWithValues: identity.lineage.map { ($0.segmentId, $0.status) })
        let segments = sizes.keys.sorted { sizes[$0]! != sizes[$1]! ? sizes[$0]! > sizes[$1]! : $0 < $1 }.map { id in
            var means: [String: Double] = [:]
            for row in profiles where row.segmentId == id { means[row.feature] = row.mean }
            return BuildSummary.Segment(segmentId: id, size: sizes[id]!, share: Double(sizes[id]!) / Double(n),
                                        lineage: id == -1 ? "noise" : status[id] ?? "new", name: names[id], means: means)
        }
        var returning = 0, keeping = 0
        if let previous {
            for (user, id) in zip(table.userIds, segmentIds) {
                guard let before = previous.segmentOfUser[user] else { continue }
                returning += 1
                if before == id { keeping += 1 }
            }
        }
        var summary = BuildSummary(
            runId: runId, asOf: asOf, featureView: options.featureView, algorithm: options.algorithmName, nUsers: n,
            nSegments: sizes.keys.filter { $0 != -1 }.count, chosenK: outcome.chosenK,
            featuresUsed: prepared.columnNames, principalComponents: space.reducedComponents,
            explainedVarianceRatio: space.reducedComponents.map { space.pca.explainedVarianceRatio.prefix($0).reduce(0, +) },
            inertia: metrics.run.inertia, silhouette: metrics.run.silhouette,
            silhouetteSampled: metrics.run.silhouetteSampled ?? false, daviesBouldin: metrics.run.daviesBouldin,
            calinskiHarabasz: metrics.run.calinskiHarabasz, warnings: warnings, segments: segments,
            previousRunId: previous?.runId,
            vanishedSegments: identity.lineage.filter { $0.status == "vanished" }.map(\.segmentId),
            returningUsers: returning, usersKeepingSegment: keeping)
        summary.kSweepSampleSize = outcome.kSweepSampleSize
        return summary
    }
}
