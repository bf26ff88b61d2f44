// The document security features an agent can judge on a live video picture, by category, and the
// random pick the server attaches to the tilt step so an applicant cannot prepare for it.
import type { MessageKey } from './messages.en.ts';

export type SecurityFeature = { id: string; labelKey: MessageKey; hintKey: MessageKey };
export type SecurityFeatureCategory = { id: string; labelKey: MessageKey; features: readonly SecurityFeature[] };
export type SecurityFeaturePick = { categoryId: string; featureId: string };

// Only features that show on a phone camera when the document is tilted or held against light: UV and
// infrared features, chips and anything needing a loupe or a reader are left out on purpose.
export const SECURITY_FEATURE_CATEGORIES: readonly SecurityFeatureCategory[] = [
	{
		id: 'optically_variable',
		labelKey: 'securityCategory.optically_variable.label',
		features: [
			{ id: 'hologram', labelKey: 'securityFeature.hologram.label', hintKey: 'securityFeature.hologram.hint' },
			{ id: 'kinegram', labelKey: 'securityFeature.kinegram.label', hintKey: 'securityFeature.kinegram.hint' },
			{
				id: 'colour_shifting_ink',
				labelKey: 'securityFeature.colour_shifting_ink.label',
				hintKey: 'securityFeature.colour_shifting_ink.hint',
			},
		],
	},
	{
		id: 'personalisation',
		labelKey: 'securityCategory.personalisation.label',
		features: [
			{
				id: 'laser_engraving',
				labelKey: 'securityFeature.laser_engraving.label',
				hintKey: 'securityFeature.laser_engraving.hint',
			},
			{ id: 'tactile_text', labelKey: 'securityFeature.tactile_text.label', hintKey: 'securityFeature.tactile_text.hint' },
			{ id: 'ghost_image', labelKey: 'securityFeature.ghost_image.label', hintKey: 'securityFeature.ghost_image.hint' },
			{
				id: 'changeable_laser_image',
				labelKey: 'securityFeature.changeable_laser_image.label',
				hintKey: 'securityFeature.changeable_laser_image.hint',
			},
			{
				id: 'laser_perforation',
				labelKey: 'securityFeature.laser_perforation.label',
				hintKey: 'securityFeature.laser_perforation.hint',
			},
		],
	},
	{
		id: 'substrate',
		labelKey: 'securityCategory.substrate.label',
		features: [
			{ id: 'card_edge', labelKey: 'securityFeature.card_edge.label', hintKey: 'securityFeature.card_edge.hint' },
			{
				id: 'transparent_window',
				labelKey: 'securityFeature.transparent_window.label',
				hintKey: 'securityFeature.transparent_window.hint',
			},
			{ id: 'watermark', labelKey: 'securityFeature.watermark.label', hintKey: 'securityFeature.watermark.hint' },
			{
				id: 'security_thread',
				labelKey: 'securityFeature.security_thread.label',
				hintKey: 'securityFeature.security_thread.hint',
			},
		],
	},
	{
		id: 'security_print',
		labelKey: 'securityCategory.security_print.label',
		features: [
			{ id: 'guilloche', labelKey: 'securityFeature.guilloche.label', hintKey: 'securityFeature.guilloche.hint' },
			{ id: 'microprint', labelKey: 'securityFeature.microprint.label', hintKey: 'securityFeature.microprint.hint' },
			{ id: 'rainbow_print', labelKey: 'securityFeature.rainbow_print.label', hintKey: 'securityFeature.rainbow_print.hint' },
			{ id: 'intaglio_print', labelKey: 'securityFeature.intaglio_print.label', hintKey: 'securityFeature.intaglio_print.hint' },
		],
	},
];

export const DEFAULT_SECURITY_FEATURE_COUNT = 3;

/** The category and feature entries of a pick, or undefined for ids not in the catalogue. */
export function findSecurityFeature(
	pick: SecurityFeaturePick,
): { category: SecurityFeatureCategory; feature: SecurityFeature } | undefined {
	const category = SECURITY_FEATURE_CATEGORIES.find((candidate) => candidate.id === pick.categoryId);
	const feature = category?.features.find((candidate) => candidate.id === pick.featureId);
	return category && feature ? { category, feature } : undefined;
}

/**
 * `count` distinct features, each from a different category while categories remain, then a second
 * round over the categories, and so on; capped at the size of the catalogue. All chance comes from
 * `randomInt` (the server passes crypto.randomInt), which must return an integer in [0, maxExclusive).
 */
export function pickSecurityFeatures(
	randomInt: (maxExclusive: number) => number,
	count: number = DEFAULT_SECURITY_FEATURE_COUNT,
): SecurityFeaturePick[] {
	const draw = (maxExclusive: number): number => {
		const value = randomInt(maxExclusive);
		if (!Number.isInteger(value) || value < 0 || value >= maxExclusive) {
			throw new RangeError(`randomInt(${maxExclusive}) returned ${value}, outside [0, ${maxExclusive})`);
		}
		return value;
	};
	const remaining = SECURITY_FEATURE_CATEGORIES.map((category) => ({
		categoryId: category.id,
		featureIds: category.features.map((feature) => feature.id),
	}));
	const total = remaining.reduce((sum, category) => sum + category.featureIds.length, 0);
	const wanted = Math.min(Math.max(Math.floor(count), 0), total);
	const picks: SecurityFeaturePick[] = [];
	while (picks.length < wanted) {
		// A fresh category order each round, so which categories get the extra features is random too.
		const unordered = remaining.filter((category) => category.featureIds.length > 0);
		const round: typeof unordered = [];
		while (unordered.length > 0) round.push(...unordered.splice(draw(unordered.length), 1));
		for (const category of round) {
			if (picks.length === wanted) break;
			const [featureId] = category.featureIds.splice(draw(category.featureIds.length), 1);
			if (featureId !== undefined) picks.push({ categoryId: category.categoryId, featureId });
		}
	}
	return picks;
}
