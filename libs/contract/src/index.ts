/**
 * The contract between the api and the web app: the shapes of the answers the web reads, and how
 * the shared words look and read (status colours and labels, for the map and the KML export).
 * It imports nothing but libs/vocabulary, so that the browser bundle can take it whole; the api's
 * controllers are typed to return these shapes, so a change on either side fails the other's tsc.
 */
export * from './admin';
export * from './auth';
export * from './errors';
export * from './events';
export * from './geojson';
export * from './imports';
export * from './inventory';
export * from './labels';
export * from './lifecycle';
export * from './map';
export * from './milestones';
export * from './progress';
export * from './records';
export * from './symbology';
export * from './tiles';
export * from './reports';
