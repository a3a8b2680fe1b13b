import { labelsOf } from '@nimo/kit';
import { LABELLED_ENUMS } from './enums';
import { ViewerRoleLabels } from './resolvers/viewer';

/** This subgraph's part of `Labels`: the Japanese labels of the enums it owns (kit `labelsOf`). */
export const labels = labelsOf([...LABELLED_ENUMS, ViewerRoleLabels]);
