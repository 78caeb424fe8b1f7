module.exports = {
  extends: '../.eslintrc.cjs',
  parserOptions: {
    project: './tsconfig.json',
    tsconfigRootDir: __dirname,
    sourceType: 'module',
  },
  rules: {
    // Allow assert style expressions. i.e. expect(true).to.be.true
    'no-unused-expressions': 'off',
    // It is common for tests to stub out method.
    '@typescript-eslint/unbound-method': 'off',
    // Return types are defined by the source code. Allows for quick overwrites.
    '@typescript-eslint/explicit-function-return-type': 'off',
    // Mocked out the methods that shouldn't do anything in the tests.
    '@typescript-eslint/no-empty-function': 'off',
    // Easily return a promise in a mocked method.
    '@typescript-eslint/require-await': 'off',
    'class-methods-use-this': 'off',
    '@typescript-eslint/no-unsafe-assignment': 'off',
    '@typescript-eslint/no-unsafe-member-access': 'off',
    '@typescript-eslint/no-unsafe-call': 'off',
    // The simulators keep mutable state and the rule tables mutate a copy of a valid input: reassigning a
    // parameter stays an error, changing a property of one is the point.
    'no-param-reassign': ['error', { props: false }],
  },
};
